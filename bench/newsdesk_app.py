"""newsdesk under test: a scratch installation, seeded through the ORM, served by `newsdesk serve`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from http.cookies import SimpleCookie
from pathlib import Path

from harness import NEWSDESK, REPO_ROOT, Server, free_port, wait_for_http

SEED_SCRIPT = REPO_ROOT / "bench" / "newsdesk_seed.py"

# Posting under load: guests allowed and published at once, every rate limit off.
POSTING_ENV = {
    "NEWSDESK_COMMENTS_ALLOW_GUESTS": "1",
    "NEWSDESK_COMMENTS_HOLD_GUESTS": "0",
    "NEWSDESK_COMMENTS_PER_MINUTE": "0",
    "NEWSDESK_COMMENTS_PER_HOUR": "0",
    "NEWSDESK_COMMENTS_IP_PER_MINUTE": "0",
    "NEWSDESK_COMMENTS_IP_PER_HOUR": "0",
}


def newsdesk_env(
    var_dir: Path, *, database_url: str = "", redis_url: str = "", **extra: str
) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
        "NEWSDESK_VAR_DIR": str(var_dir),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        **extra,
    }


def _run(argv: list[str], env: dict, timeout: int = 300) -> str:
    done = subprocess.run(  # noqa: S603
        argv,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def prepare(env: dict, counts: list[int]) -> dict[int, dict]:
    """Migrate a scratch database and seed one article per comment count."""
    _run([NEWSDESK, "migrate", "--noinput", "-v0"], env)
    seed_env = {**env, "NEWSDESK_ENRICH_ENABLED": "0"}  # no spaCy run while seeding
    out = _run([sys.executable, str(SEED_SCRIPT), "articles", ",".join(map(str, counts))], seed_env)
    return {int(k): v for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def published_count(env: dict, article_id: int) -> int:
    return int(_run([sys.executable, str(SEED_SCRIPT), "count", str(article_id)], env).split()[-1])


def start_newsdesk(env: dict, workdir: Path, workers: int = 2) -> tuple[Server, str]:
    port = free_port()
    server = Server(
        "newsdesk",
        [NEWSDESK, "serve", "--port", str(port), "--workers", str(workers), "--no-access-log"],
        env={**env, "NEWSDESK_SITE_URL": f"http://127.0.0.1:{port}"},
        log_dir=str(workdir),
    ).start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(base + "/", timeout=90, process=server.process)
    except Exception:
        print(server.log_tail(), file=sys.stderr)
        server.stop()
        raise
    return server, base


def fetch(url: str) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback only
        return response.status, dict(response.headers), response.read()


def csrf_token(url: str) -> str:
    """A CSRF cookie value handed out with a page (the same value goes in the header)."""
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            if "csrftoken" in cookie:
                return cookie["csrftoken"].value
    raise RuntimeError(f"{url} set no csrftoken cookie")
