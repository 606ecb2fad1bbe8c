"""kill -9 of the task worker in the middle of a background batch import loses nothing and
imports nothing twice.

300 page-text files are queued with `newsdesk import --background`; `newsdesk worker`
works the batch until part of it is imported, then its whole process group is killed with
SIGKILL. django-tasks leaves that task RUNNING; a new worker sees its worker is dead,
puts it back in the queue and runs it again, and the import journal skips what was done.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from liveserver import newsdesk, scratch_environment

from newsdesk.ingest.tests.helpers import story_text

pytestmark = pytest.mark.skipif(
    os.environ.get("NEWSDESK_SECURITY_SLOW") != "1",
    reason="slow: run by `make test-security` (NEWSDESK_SECURITY_SLOW=1)",
)
FILES = 300
SOURCES = ("Reuters", "AP", "AFP", "Harbour Times", "Valley Courier")


def write_batch(folder: Path) -> dict[str, tuple[str, list[str], list[str]]]:
    """FILES unique page-text files; returns headline -> (source, paragraphs, tags)."""
    folder.mkdir()
    expected = {}
    for n in range(FILES):
        headline = f"Dispatch {n:03} on the {story_text(5000 + n, 1, 4)[0].rstrip('.')}"
        source = SOURCES[n % len(SOURCES)]
        paragraphs = story_text(7000 + n, paragraphs=3 + n % 3, words=30)
        tags = [f"Region {n % 11}", f"Desk {n % 4}"]
        body = "\n\n".join(paragraphs)
        (folder / f"{n:04}.txt").write_text(
            f"{headline}\n\n{source}\n\n{body}\n\nTags\n\n{', '.join(tags)}\n\n"
            "Comments (0)\n\nWhat is your opinion on this topic?\n\nLeave the first comment\n"
        )
        expected[headline] = (source, paragraphs, tags)
    return expected


def count(database: Path, sql: str) -> int:
    try:
        with sqlite3.connect(database, timeout=5) as probe:
            return probe.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def start_worker(environment: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "worker", "--every", "1"],
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, killed whole
    )


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_kill9_of_the_worker_during_a_batch_import_imports_every_file_exactly_once(tmp_path):
    expected = write_batch(tmp_path / "batch")
    # Enrichment (spaCy) would run inline in each import and dominate the time.
    environment = scratch_environment(tmp_path / "var", NEWSDESK_ENRICH_ENABLED="0")
    database = tmp_path / "var" / "newsdesk.sqlite3"
    log = tmp_path / "worker.log"
    newsdesk(["migrate", "--noinput", "-v0"], environment)
    queued = newsdesk(["import", "--background", str(tmp_path / "batch")], environment)
    assert "queued import task" in queued

    imported = "SELECT count(*) FROM ingest_importedfile"
    worker = start_worker(environment, log)
    try:
        wait_for(lambda: count(database, imported) >= 30, 60, "the first imports")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        done_at_kill = count(database, imported)
        assert 0 < done_at_kill < FILES, "the kill landed mid-batch"
        assert (
            count(
                database,
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'",
            )
            == 1
        ), "the killed worker's task is left running"

        worker = start_worker(environment, log)
        finished = (
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        )
        wait_for(lambda: count(database, finished) == 1, 80, "the batch to finish")
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
    assert "requeued 1 tasks left running by a dead worker" in log.read_text()

    with sqlite3.connect(database) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        result = check.execute(
            "SELECT return_value FROM django_tasks_database_dbtaskresult WHERE status = 'SUCCESSFUL'"
        ).fetchone()[0]
        assert f'"unchanged": {done_at_kill}' in result, result  # the rerun skipped them
        assert check.execute("SELECT count(*) FROM articles_article").fetchone()[0] == FILES
        assert check.execute("SELECT count(*) FROM ingest_importedfile").fetchone()[0] == FILES
        assert check.execute(
            "SELECT count(DISTINCT content_sha256), count(DISTINCT article_id) "
            "FROM ingest_importedfile"
        ).fetchone() == (FILES, FILES)
        stored = check.execute(
            "SELECT a.id, a.headline, a.body, s.name FROM articles_article a "
            "LEFT JOIN articles_source s ON s.id = a.source_id"
        ).fetchall()
        assert sorted(headline for _, headline, _, _ in stored) == sorted(expected)
        for article_id, headline, body, source in stored:
            want_source, paragraphs, want_tags = expected[headline]
            assert source == want_source, headline
            assert [p.strip() for p in body.split("\n\n") if p.strip()] == paragraphs, headline
            tags = check.execute(
                "SELECT t.name FROM articles_articletag at JOIN articles_tag t ON t.id = at.tag_id "
                "WHERE at.article_id = ?",
                (article_id,),
            ).fetchall()
            assert sorted(name for (name,) in tags) == sorted(want_tags), headline
