"""kill -9 of the app server while 32 readers post comments loses nothing it acknowledged.

A real `newsdesk serve` (granian by default) over a scratch SQLite file; 32 threads post comments
through the web form endpoint; the whole server process group is killed with SIGKILL in
the middle; the server starts again. Then SQLite's integrity check is clean, every comment
that got a success answer is stored whole, and every article's comment count matches.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from liveserver import Server, demo_site, free_port

pytestmark = pytest.mark.skipif(
    os.environ.get("NEWSDESK_SECURITY_SLOW") != "1",
    reason="slow: run by `make test-security` (NEWSDESK_SECURITY_SLOW=1)",
)
WRITERS = 32
NO_LIMITS = {
    "NEWSDESK_COMMENTS_PER_MINUTE": "0",
    "NEWSDESK_COMMENTS_PER_HOUR": "0",
    "NEWSDESK_COMMENTS_IP_PER_MINUTE": "0",
    "NEWSDESK_COMMENTS_IP_PER_HOUR": "0",
    "NEWSDESK_COMMENTS_HOLD_GUESTS": "0",
    "NEWSDESK_COMMENTS_DOUBLE_SUBMIT_SECONDS": "0",
}


class Writer(threading.Thread):
    """One reader posting comments one after another until the server goes away."""

    def __init__(
        self, number: int, base: str, article_id: int, article_path: str, stop: threading.Event
    ):
        super().__init__(daemon=True)
        self.number, self.base, self.article_id, self.article_path = (
            number,
            base,
            article_id,
            article_path,
        )
        self.stop = stop
        self.acknowledged: list[str] = []
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.jar = jar

    def run(self):
        try:
            html = self.opener.open(self.base + self.article_path, timeout=30).read().decode()
        except OSError:
            return
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        sequence = 0
        while not self.stop.is_set():
            body = f"writer {self.number} comment {sequence} " + "durable text " * 20
            data = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "body": body,
                    "guest_name": f"Writer {self.number}",
                    "guest_email": f"w{self.number}@example.org",
                }
            ).encode()
            request = urllib.request.Request(
                f"{self.base}/comments/post/{self.article_id}/",
                data=data,
                headers={
                    "X-Requested-With": "XMLHttpRequest",
                    "Referer": self.base + self.article_path,
                },
            )
            try:
                with self.opener.open(request, timeout=30) as response:
                    if response.status in (200, 201):
                        self.acknowledged.append(body)
            except (OSError, urllib.error.HTTPError):
                return  # the server died under us: this one was never acknowledged
            sequence += 1


def test_kill9_during_32_concurrent_comment_writers_loses_no_acknowledged_comment(tmp_path):
    environment = demo_site(tmp_path, **NO_LIMITS)
    database = tmp_path / "newsdesk.sqlite3"
    with sqlite3.connect(database) as probe:
        article_id, slug = probe.execute(
            "SELECT id, slug FROM articles_article WHERE status='published' ORDER BY id LIMIT 1"
        ).fetchone()
    port = free_port()
    server = Server(environment, port, workers=4, log=tmp_path / "serve.log")
    stop = threading.Event()
    writers = [Writer(n, server.url, article_id, f"/news/{slug}/", stop) for n in range(WRITERS)]
    try:
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 20
        while sum(len(w.acknowledged) for w in writers) < 150 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill()  # SIGKILL to gunicorn's master and every worker, mid-write
        stop.set()
        for writer in writers:
            writer.join(timeout=40)
        server = Server(environment, port, workers=2, log=tmp_path / "serve.log")
    finally:
        stop.set()
        server.stop()

    acknowledged = [body for writer in writers for body in writer.acknowledged]
    assert len(acknowledged) >= 100, "the writers hardly wrote before the kill"
    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        stored = {
            body: html
            for body, html in check.execute(
                "SELECT body, body_html FROM comments_comment WHERE article_id = ?", (article_id,)
            )
        }
        lost = [body[:30] for body in acknowledged if body.strip() not in stored]
        assert not lost, f"{len(lost)} acknowledged comments are missing, e.g. {lost[:3]}"
        assert all(html.strip() for html in stored.values()), "a comment without its rendering"
        count, published = check.execute(
            "SELECT a.comment_count, (SELECT count(*) FROM comments_comment c "
            "WHERE c.article_id = a.id AND c.status = 'published') "
            "FROM articles_article a WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        assert count == published, "the article's comment count disagrees with its comments"
