"""`newsdesk serve` on a free port, over a scratch SQLite database: for the tests that need
a real server process (sqlmap, kill -9); and a scratch PostgreSQL database for those that
run servers on PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def scratch_postgres(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of ``server_url``: its URL, and the
    database dropped afterwards (connections still open to it are ended first). Raises
    psycopg.OperationalError when the server cannot be reached."""
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    parts = urllib.parse.urlsplit(server_url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def scratch_environment(var_dir: Path, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
        and not key.startswith("NEWSDESK_")
    }
    environment.update(NEWSDESK_VAR_DIR=str(var_dir), DEBUG="0", NEWSDESK_MANIFEST_STATIC="0")
    environment.update(extra)
    return environment


def newsdesk(arguments: list[str], environment: dict[str, str], timeout: int = 180) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "newsdesk", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"newsdesk {' '.join(arguments)} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout


class Server:
    """One server process group; stop() ends it, kill() is kill -9 of the whole group."""

    def __init__(
        self, environment: dict[str, str], port: int, workers: int = 2, log: Path | None = None
    ):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsdesk",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_up()

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"newsdesk serve exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url + "/robots.txt", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("newsdesk serve did not answer in time")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.log is not subprocess.DEVNULL:
            self.log.close()


def demo_site(var_dir: Path, **extra: str) -> dict[str, str]:
    """A migrated scratch database holding the demo stories; returns its environment."""
    environment = scratch_environment(var_dir, **extra)
    newsdesk(["migrate", "--noinput", "-v0"], environment)
    newsdesk(["loaddemo"], environment)
    return environment
