"""Isso, the reference comment server: its own virtualenv, config, gunicorn and seeding.

Isso runs as its documentation recommends (``gunicorn -w 2 --preload isso.run``) with its
default settings, except the anti-spam guard (its rate limit of 2 comments a minute per
address would refuse the load) which is switched off, as newsdesk's rate limits are.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

from comment_texts import comment_body, guest_email, guest_name, parent_index
from harness import REPO_ROOT, Server, free_port, wait_for_http

ISSO_VENV = REPO_ROOT / "bench" / ".isso-venv"
ISSO_VERSION = "0.14.0"

CONFIG = """\
[general]
dbpath = {dbpath}
host = {site}
max-age = 15m

[moderation]
enabled = false

[guard]
enabled = false

[server]
listen = http://127.0.0.1:{port}
"""


def ensure_isso() -> Path:
    """The Isso virtualenv's bin/, created with Isso from PyPI when missing."""
    bin_dir = ISSO_VENV / "bin"
    if not (bin_dir / "gunicorn").exists() or not _has_isso(bin_dir):
        print(f"installing isso=={ISSO_VERSION} into {ISSO_VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(ISSO_VENV)], check=True)  # noqa: S603
        subprocess.run(  # noqa: S603
            [str(bin_dir / "pip"), "install", "-q", f"isso=={ISSO_VERSION}", "gunicorn"],
            check=True,
        )
    return bin_dir


def _has_isso(bin_dir: Path) -> bool:
    probe = subprocess.run(  # noqa: S603
        [str(bin_dir / "python"), "-c", "import isso"], capture_output=True, check=False
    )
    return probe.returncode == 0


def isso_server(workdir: Path, site: str) -> tuple[Server, str]:
    bin_dir = ensure_isso()
    port = free_port()
    config = workdir / "isso.cfg"
    config.write_text(CONFIG.format(dbpath=workdir / "comments.db", site=site, port=port))
    server = Server(
        "isso",
        [
            str(bin_dir / "gunicorn"),
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--preload",
            "isso.run",
        ],
        env={"ISSO_SETTINGS": str(config)},
        cwd=str(workdir),
        log_dir=str(workdir),
    )
    return server, f"http://127.0.0.1:{port}"


def start_isso(workdir: Path, site: str) -> tuple[Server, str]:
    server, base = isso_server(workdir, site)
    server.start()
    try:
        wait_for_http(base + "/info", process=server.process)
    except Exception:
        server.stop()  # a server that never answered must not outlive the run
        raise
    return server, base


def post_isso_comment(base: str, uri: str, index: int, parent: int | None, site: str) -> int:
    payload = {
        "text": comment_body(index),
        "author": guest_name(index),
        "email": guest_email(index),
        "parent": parent,
        "title": f"Thread {uri}",
    }
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{base}/new?uri={uri}",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Origin": site},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())["id"]


def seed_thread(base: str, uri: str, count: int, site: str) -> None:
    """The same discussion as newsdesk's seed, through Isso's own API."""
    ids: list[int] = []
    for index in range(count):
        parent = parent_index(index)
        ids.append(
            post_isso_comment(base, uri, index, ids[parent] if parent is not None else None, site)
        )


def count_comments(workdir: Path, uri: str) -> int:
    with sqlite3.connect(workdir / "comments.db") as db:
        row = db.execute(
            "SELECT count(*) FROM comments JOIN threads ON comments.tid = threads.id "
            "WHERE threads.uri = ? AND comments.mode = 1",
            (uri,),
        ).fetchone()
    return row[0]
