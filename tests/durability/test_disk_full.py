"""A really full disk: the reader who posts a comment gets a clear 503 page holding the text
they wrote, the site keeps serving pages, and once there is space again the same post goes
through and the database is intact.

The scratch site lives on a small tmpfs mounted for the test (root only); a filler file
takes every free byte while `newsdesk serve` runs on it.
"""

from __future__ import annotations

import contextlib
import errno
import http.cookiejar
import os
import re
import sqlite3
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from html import unescape

import pytest
from liveserver import Server, demo_site, free_port

pytestmark = pytest.mark.skipif(
    os.environ.get("NEWSDESK_SECURITY_SLOW") != "1",
    reason="slow: run by `make test-security` (NEWSDESK_SECURITY_SLOW=1)",
)
# The demo database is about 1 MB, the collected static files about 10 MB.
TMPFS_SIZE = "16m"
PLAIN_POSTING = {
    "NEWSDESK_COMMENTS_HOLD_GUESTS": "0",
    "NEWSDESK_COMMENTS_DOUBLE_SUBMIT_SECONDS": "0",
}
TEXT = "My considered reply about the <harbour> budget,\nwritten with care & not to be lost."


def mount_tmpfs(target) -> None:
    """Mount a small tmpfs on ``target``, or skip (fail under CI) where that is not allowed."""
    reason = None
    if os.geteuid() != 0:
        reason = "mounting a tmpfs needs root"
    else:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(target)],
            capture_output=True,
            text=True,
        )
        if mounted.returncode != 0:
            reason = f"mount -t tmpfs is not permitted here: {mounted.stderr.strip()}"
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def fill(path) -> None:
    """Write until the filesystem refuses another byte."""
    with open(path, "wb", buffering=0) as filler:
        for chunk in (b"\0" * 65536, b"\0" * 512, b"\0"):
            try:
                while True:
                    filler.write(chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc


class Reader:
    def __init__(self, base: str, article_path: str, article_id: int):
        self.base, self.article_path, self.article_id = base, article_path, article_id
        cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))

    def read_article(self) -> tuple[int, str]:
        with self.opener.open(self.base + self.article_path, timeout=30) as response:
            return response.status, response.read().decode()

    def post_comment(self, text: str) -> tuple[int, str]:
        """A plain form post, as a browser without JavaScript sends it."""
        _, html = self.read_article()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "body": text,
                "guest_name": "Careful Reader",
                "guest_email": "careful@example.org",
            }
        ).encode()
        request = urllib.request.Request(
            f"{self.base}/comments/post/{self.article_id}/",
            data=data,
            headers={"Referer": self.base + self.article_path},
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()


def test_full_disk_gives_503_with_the_text_then_the_same_post_succeeds(tmp_path):
    var = tmp_path / "var"
    var.mkdir()
    mount_tmpfs(var)
    server = None
    try:
        environment = demo_site(var, **PLAIN_POSTING)
        database = var / "newsdesk.sqlite3"
        with contextlib.closing(sqlite3.connect(database)) as probe:
            (article_id, slug), (_, other_slug) = probe.execute(
                "SELECT id, slug FROM articles_article WHERE status='published' ORDER BY id LIMIT 2"
            ).fetchall()
        server = Server(environment, free_port(), workers=1, log=tmp_path / "serve.log")
        reader = Reader(server.url, f"/news/{slug}/", article_id)
        assert reader.read_article()[0] == 200

        fill(var / "filler")
        status, html = reader.post_comment(TEXT)
        assert status == 503, html[:500]
        assert "cannot save anything right now" in html
        kept = re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', html, re.S)
        assert kept, "the reader's text is not handed back in a form field"
        assert "&lt;harbour&gt;" in kept.group(1), "the text is handed back unescaped"
        assert unescape(kept.group(1)).replace("\r\n", "\n") == TEXT
        status, html = reader.read_article()
        assert status == 200 and "csrfmiddlewaretoken" in html, "the site stopped serving"
        other = Reader(server.url, f"/news/{other_slug}/", 0)  # not in the page cache yet
        assert other.read_article()[0] == 200, "the site stopped reading the database"

        (var / "filler").unlink()
        status, html = reader.post_comment(TEXT)
        assert status == 200, html[:500]  # the redirect to the new comment, followed
        assert "My considered reply about the &lt;harbour&gt; budget" in html
        server.stop()
        server = None
        with contextlib.closing(sqlite3.connect(database)) as check:
            assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            stored = check.execute(
                "SELECT body, status FROM comments_comment WHERE article_id = ? AND body LIKE ?",
                (article_id, "My considered reply%"),
            ).fetchall()
        assert [(body.replace("\r\n", "\n"), status) for body, status in stored] == [
            (TEXT, "published")
        ], "the comment is not stored exactly once"
    finally:
        if server is not None:
            server.stop()
        if subprocess.run(["umount", str(var)]).returncode != 0:
            subprocess.run(["umount", "--lazy", str(var)], check=True)  # never leave it mounted
