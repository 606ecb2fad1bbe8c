"""A batch import killed with SIGKILL mid-way, then run again, imports every file once."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from newsdesk.ingest.tests.helpers import story_text

FILES = 80


def newsdesk(*args, env, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "newsdesk", *args], env=env, **kwargs)


def count(db: Path, sql: str) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_killed_batch_resumes_and_imports_every_file_exactly_once(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for n in range(FILES):
        body = "\n\n".join(story_text(1000 + n, paragraphs=3, words=30))
        (batch / f"{n:04}.txt").write_text(
            f"Story number {n} from the wire\n\nReuters\n\n{body}\n\nTags\n\nWire {n % 7}\n"
        )
    env = {
        **os.environ,
        "NEWSDESK_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
        # Enrichment (spaCy, its own app's tests) would run inline and dominate the time.
        "NEWSDESK_ENRICH_ENABLED": "0",
    }
    env.pop("DATABASE_URL", None)
    assert newsdesk("migrate", "-v0", env=env).wait() == 0
    db = tmp_path / "var" / "newsdesk.sqlite3"

    process = newsdesk(
        "import",
        str(batch),
        "--no-progress",
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while count(db, "select count(*) from articles_article") < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    done_at_kill = count(db, "select count(*) from articles_article")
    assert 0 < done_at_kill < FILES, "the kill landed mid-batch"
    # Journal and articles agree: every committed article has its journal line and tags.
    assert count(db, "select count(*) from ingest_importedfile") == done_at_kill

    rerun = newsdesk(
        "import",
        str(batch),
        "--no-progress",
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert f"{FILES - done_at_kill} imported, 0 updated, {done_at_kill} unchanged, 0 failed" in out
    assert count(db, "select count(*) from articles_article") == FILES
    assert count(db, "select count(distinct headline) from articles_article") == FILES
    assert count(db, "select count(*) from articles_article where body = ''") == 0
    assert count(db, "select count(distinct article_id) from articles_articletag") == FILES
    assert count(db, "select count(*) from ingest_articlefingerprint") == FILES
