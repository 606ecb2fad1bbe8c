"""kill -9 of the app server while 32 readers post comments loses nothing it acknowledged.

A real `newsdesk serve` (granian by default) over a scratch SQLite file, and again over a
scratch PostgreSQL database; 32 threads post comments through the web form endpoint; the
whole server process group is killed with SIGKILL in the middle; the server starts again.
Then the database is consistent (SQLite's integrity and foreign-key checks; on PostgreSQL
no constraint left unvalidated), no row lost its parent, every comment that got a success
answer is stored whole, and the article's comment count matches its comments.
"""

from __future__ import annotations

import contextlib
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
from liveserver import Server, demo_site, free_port, scratch_postgres

pytestmark = pytest.mark.skipif(
    os.environ.get("NEWSDESK_SECURITY_SLOW") != "1",
    reason="slow: run by `make test-security` (NEWSDESK_SECURITY_SLOW=1)",
)
WRITERS = 32
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
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


class Database:
    """The scratch database the server writes to, read back with plain SQL (%s placeholders)."""

    def __init__(self, var_dir, url: str = ""):
        self.url = url
        self.path = var_dir / "newsdesk.sqlite3"

    @property
    def vendor(self) -> str:
        return "postgresql" if self.url else "sqlite"

    def rows(self, sql: str, *params) -> list[tuple]:
        if self.url:
            import psycopg

            with psycopg.connect(self.url) as connection:
                return connection.execute(sql, params).fetchall()
        with contextlib.closing(sqlite3.connect(self.path)) as connection:
            return connection.execute(sql.replace("%s", "?"), params).fetchall()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield Database(tmp_path)
        return
    psycopg = pytest.importorskip("psycopg")
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(scratch_postgres(POSTGRES, "dur_kill9"))
        except psycopg.OperationalError as exc:
            if os.environ.get("CI") == "true":
                raise
            pytest.skip(f"PostgreSQL is not reachable at 127.0.0.1:5432: {exc}")
        yield Database(tmp_path, url)


def test_kill9_during_32_concurrent_comment_writers_loses_no_acknowledged_comment(
    tmp_path, database
):
    # scratch_environment strips DATABASE_URL; migrate, loaddemo and serve get it back here.
    extra = {"DATABASE_URL": database.url} if database.url else {}
    environment = demo_site(tmp_path, **NO_LIMITS, **extra)
    article_id, slug = database.rows(
        "SELECT id, slug FROM articles_article WHERE status='published' ORDER BY id LIMIT 1"
    )[0]
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
        server.kill()  # SIGKILL to the server's master and every worker, mid-write
        stop.set()
        for writer in writers:
            writer.join(timeout=40)
        server = Server(environment, port, workers=2, log=tmp_path / "serve.log")
    finally:
        stop.set()
        server.stop()

    acknowledged = [body for writer in writers for body in writer.acknowledged]
    assert len(acknowledged) >= 100, "the writers hardly wrote before the kill"
    if database.vendor == "sqlite":
        assert database.rows("PRAGMA integrity_check")[0][0] == "ok"
        assert database.rows("PRAGMA foreign_key_check") == []
    else:
        unvalidated = database.rows("SELECT conname FROM pg_constraint WHERE NOT convalidated")
        assert unvalidated == [], "a constraint the database no longer vouches for"
    orphans = {
        "comments without their article": "SELECT count(*) FROM comments_comment c LEFT JOIN "
        "articles_article a ON a.id = c.article_id WHERE a.id IS NULL",
        "replies without their parent": "SELECT count(*) FROM comments_comment c LEFT JOIN "
        "comments_comment p ON p.id = c.parent_id WHERE c.parent_id IS NOT NULL AND p.id IS NULL",
        "revisions without their comment": "SELECT count(*) FROM comments_commentrevision r "
        "LEFT JOIN comments_comment c ON c.id = r.comment_id WHERE c.id IS NULL",
    }
    for what, sql in orphans.items():
        assert database.rows(sql)[0][0] == 0, what
    stored = dict(
        database.rows(
            "SELECT body, body_html FROM comments_comment WHERE article_id = %s", article_id
        )
    )
    lost = [body[:30] for body in acknowledged if body.strip() not in stored]
    assert not lost, f"{len(lost)} acknowledged comments are missing, e.g. {lost[:3]}"
    assert all(html.strip() for html in stored.values()), "a comment without its rendering"
    count, published = database.rows(
        "SELECT a.comment_count, (SELECT count(*) FROM comments_comment c "
        "WHERE c.article_id = a.id AND c.status = 'published') "
        "FROM articles_article a WHERE a.id = %s",
        article_id,
    )[0]
    assert count == published, "the article's comment count disagrees with its comments"
