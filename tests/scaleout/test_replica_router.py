"""The read-replica router, with two SQLite files as primary and (never catching up) replica."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEWSDESK = str(Path(sys.executable).parent / "newsdesk")


def test_reads_go_to_the_replica_except_in_transactions_and_after_a_write(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
        "NEWSDESK_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{primary}",
        "DATABASE_REPLICA_URL": "",
        "REDIS_URL": "",
        "NEWSDESK_ENRICH_ENABLED": "0",
        "NEWSDESK_COMMENTS_HOLD_GUESTS": "0",
        "NEWSDESK_MANIFEST_STATIC": "0",
    }

    def run(*argv, **extra):
        done = subprocess.run(
            argv, env={**env, **extra}, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    run(NEWSDESK, "migrate", "--noinput", "-v0")
    article = json.loads(run(sys.executable, str(HERE / "replica_probe.py"), "article"))
    # The replica as of now (the WAL file too); later writes never reach it.
    for suffix in ("", "-wal"):
        if Path(f"{primary}{suffix}").exists():
            shutil.copy(f"{primary}{suffix}", f"{replica}{suffix}")

    seen = json.loads(
        run(
            sys.executable,
            str(HERE / "replica_probe.py"),
            "probe",
            str(article["id"]),
            DATABASE_REPLICA_URL=f"sqlite:///{replica}",
        )
    )

    assert "Written after the copy" not in seen["plain_read"]  # from the replica
    assert "Written after the copy" in seen["read_in_atomic"]  # from the primary
    assert seen["get"] == 200 and not seen["pinned_after_get"]
    assert seen["post"] == 302 and seen["pinned_after_post"]
    assert seen["writer_sees_comment"]  # pinned to the primary by the cookie
    assert not seen["other_reader_sees_comment"]  # everyone else reads the replica
