"""`newsdesk worker` as an operator runs it: a separate process that polls due feeds and
works the task queue in the database, with nothing else running."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.ingest.tests.helpers import LocalServer, rss, story_text

NEWSDESK = shutil.which("newsdesk", path=str(Path(sys.executable).parent))


def run(argv, env, **kwargs):
    return subprocess.run(
        [NEWSDESK, *argv], env=env, capture_output=True, text=True, timeout=120, **kwargs
    )


def article_headlines(env) -> list[str]:
    result = run(
        ["shell", "--no-imports", "-c",
         "from newsdesk.articles.models import Article\n"
         "print('\\n'.join(Article.objects.values_list('headline', flat=True)))"],
        env,
    )
    return [line for line in result.stdout.splitlines() if line]


@pytest.mark.skipif(NEWSDESK is None, reason="the newsdesk console script is not installed")
def test_worker_process_polls_a_due_feed_and_imports_its_entries(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
        "NEWSDESK_VAR_DIR": str(tmp_path / "var"),
        "NEWSDESK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "NEWSDESK_ENRICH_ENABLED": "0",
        "NEWSDESK_SCHEDULER_SECONDS": "1",
    }
    for key in ("DATABASE_URL", "REDIS_URL"):  # a private SQLite site, whatever the run uses
        env.pop(key, None)
    assert run(["migrate", "-v0"], env).returncode == 0
    body = "".join(f"<p>{p}</p>" for p in story_text(7))
    items = [{"title": "Harbour reopens after storm", "link": "https://harbour.example/a",
              "guid": "a", "content": body}]
    with LocalServer() as server:
        server.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss(items))
        added = run(["feeds", "add", server.url("/feed.xml"), "--source", "Harbour Times"], env)
        assert added.returncode == 0, added.stderr
        worker = subprocess.Popen(
            [NEWSDESK, "worker", "--every", "1"], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        try:
            deadline = time.monotonic() + 60
            headlines = []
            while time.monotonic() < deadline and not headlines:
                time.sleep(1)
                headlines = article_headlines(env)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
    assert headlines == ["Harbour reopens after storm"]
    assert any(path == "/feed.xml" for path, _ in server.hits)
