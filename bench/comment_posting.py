"""Many readers posting comments at once through the real server.

Starts ``newsdesk serve`` (gunicorn) on a free port against a scratch var dir (SQLite by
default, or DATABASE_URL), lets N clients post guest comments for a bounded time, then
checks that every accepted comment is stored and counted. Prints comments/s, errors and
p50/p99 latency; exits 1 if a comment was lost, the count is wrong or any 5xx came back.

    .venv/bin/python bench/comment_posting.py --seconds 30 --clients 32
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/comment_posting.py

Guests publish directly and rate limits are off for the run (environment of the server only).
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

SAMPLE = "/news/putin-hints-at-bilateral-talks-with-kyiv-truce-falters/"
NEWSDESK = str(Path(sys.executable).parent / "newsdesk")
MARKER = "bench-comment"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(var_dir: str) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSDESK_VAR_DIR": var_dir,
        "NEWSDESK_COMMENTS_HOLD_GUESTS": "0",
        "NEWSDESK_COMMENTS_PER_MINUTE": "0",
        "NEWSDESK_COMMENTS_PER_HOUR": "0",
        "NEWSDESK_COMMENTS_IP_PER_MINUTE": "0",
        "NEWSDESK_COMMENTS_IP_PER_HOUR": "0",
        "NEWSDESK_COMMENTS_DOUBLE_SUBMIT_SECONDS": "60",
        "DEBUG": "0",
        "LOG_LEVEL": "ERROR",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def request(port: int, method: str, path: str, body: str = "", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def wait_until_up(port: int, server: subprocess.Popen, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server exited with {server.returncode}")
        try:
            if request(port, "GET", "/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not come up")


def form_details(port: int) -> tuple[str, str, str]:
    """The post URL, a CSRF cookie and the matching form token from the article page."""
    status, headers, body = request(port, "GET", SAMPLE)
    assert status == 200, status
    html = body.decode()
    action = re.search(r'action="(/comments/post/\d+/)"', html).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    cookie = next(
        v.split(";")[0] for k, v in headers if k.lower() == "set-cookie" and "csrftoken" in v
    )
    return action, cookie, token


def client(port: int, index: int, deadline: float, results: list, lock: threading.Lock) -> None:
    action, cookie, token = form_details(port)
    n = 0
    while time.monotonic() < deadline:
        n += 1
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "guest_name": f"Bench {index}",
                "guest_email": f"bench{index}@example.org",
                "body": f"{MARKER} {index}-{n}: what a *story*.",
            }
        )
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        started = time.perf_counter()
        try:
            status = request(port, "POST", action, body, headers)[0]
        except OSError as exc:
            status = f"{type(exc).__name__}"
        elapsed = time.perf_counter() - started
        with lock:
            results.append((status, elapsed))


def stored_counts(env: dict[str, str]) -> tuple[int, int]:
    code = (
        "from newsdesk.comments.models import Comment;"
        "from newsdesk.articles.models import Article;"
        f"a = Article.objects.get(slug='{SAMPLE.strip('/').split('/')[-1]}');"
        f"print(Comment.objects.filter(article=a, body__startswith='{MARKER}').count(), a.comment_count)"
    )
    out = subprocess.run(
        [NEWSDESK, "shell", "-c", code], env=env, capture_output=True, text=True, check=True
    )
    stored, counted = out.stdout.split()[-2:]
    return int(stored), int(counted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()

    var_dir = tempfile.mkdtemp(prefix="newsdesk-comment-bench-")
    env = server_env(var_dir)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    subprocess.run([NEWSDESK, "migrate", "--noinput", "-v0"], env=env, check=True)
    subprocess.run([NEWSDESK, "loaddemo"], env=env, check=True, stdout=subprocess.DEVNULL)
    before, _ = stored_counts(env)
    port = free_port()
    server = subprocess.Popen(
        [NEWSDESK, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: stopping it stops the workers
    )
    try:
        wait_until_up(port, server)
        results: list = []
        lock = threading.Lock()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, i, deadline, results, lock))
            for i in range(args.clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        duration = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    stderr = server.stderr.read().decode(errors="replace") if server.stderr else ""

    statuses = Counter(status for status, _ in results)
    accepted = statuses.get(302, 0)
    latencies = sorted(elapsed for _, elapsed in results)
    stored, counted = stored_counts(env)
    stored -= before
    errors = sum(n for status, n in statuses.items() if status != 302)
    server_errors = sum(n for s, n in statuses.items() if not isinstance(s, int) or s >= 500)
    locked_in_log = stderr.lower().count("database is locked")
    print(
        f"database: {database}, clients: {args.clients}, workers: {args.workers}, {duration:.1f} s"
    )
    print(f"comments/s: {accepted / duration:.1f}  ({accepted} accepted)")
    print(f"errors: {errors}  statuses: {dict(statuses)}")
    if latencies:
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"latency p50: {p50 * 1000:.0f} ms  p99: {p99 * 1000:.0f} ms")
    print(f"stored: {stored}  lost: {accepted - stored}  Article.comment_count: {counted}")
    print(f"'database is locked' in the server log: {locked_in_log}")
    shutil.rmtree(var_dir, ignore_errors=True)
    ok = stored == accepted and counted == stored + before and server_errors == 0
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
