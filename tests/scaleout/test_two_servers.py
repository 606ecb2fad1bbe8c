"""Two app servers and two task workers sharing one PostgreSQL database and one Redis.

Runs when DATABASE_URL points at PostgreSQL and REDIS_URL is set (CI's second run); skips
with a message otherwise. It creates its own scratch database, starts `newsdesk serve` twice
and `newsdesk db_worker` twice as subprocesses, and shows what readers and operators rely on:
a comment posted through one server is on the page the other serves at once, a rate limit
hit on one holds on the other, a change made through one invalidates the other's cached
page, and each background task runs exactly once.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from liveserver import scratch_postgres

pytestmark = pytest.mark.scaleout

HERE = Path(__file__).resolve().parent
NEWSDESK = str(Path(sys.executable).parent / "newsdesk")
DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
TASKS = 20


def redis_url_for_test() -> str:
    """Redis db 8 on the configured server: this test flushes it, never the suite's db."""
    override = os.environ.get("NEWSDESK_SCALEOUT_REDIS_URL")
    if override:
        return override
    return urllib.parse.urlsplit(REDIS_URL)._replace(path="/8").geturl()


def scratch(env: dict, *args: str):
    """Run one step of scratch.py against the test's database; its last line is JSON."""
    result = subprocess.run(
        [sys.executable, str(HERE / "scratch.py"), *args],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """One app server, spoken to with plain http.client (no redirects followed)."""

    def __init__(self, port: int):
        self.port = port

    def request(self, method: str, path: str, body: dict | None = None, cookies: str = ""):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": cookies} if cookies else {}
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            return response.status, response, response.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def get(self, path: str):
        return self.request("GET", path)


@pytest.fixture(scope="module")
def cluster():
    if not DATABASE_URL.startswith(("postgres://", "postgresql://")) or not REDIS_URL:
        pytest.skip(
            "scale-out test: needs DATABASE_URL=postgres://... and REDIS_URL (CI's second run)"
        )
    import redis

    database = contextlib.ExitStack()  # closed last, after the servers stop
    database_url = database.enter_context(scratch_postgres(DATABASE_URL, "newsdesk_scaleout"))
    redis_url = redis_url_for_test()
    redis.Redis.from_url(redis_url).flushdb()
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-scaleout-"))
    workdir.chmod(0o755)  # nginx's workers (user nobody) keep their micro-cache in here
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": uuid.uuid4().hex * 2,  # one secret for every server: CSRF, sessions
        "NEWSDESK_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "NEWSDESK_SCALEOUT_TASK_LOG": str(workdir / "tasks.log"),
        "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")]),
        "NEWSDESK_ENRICH_ENABLED": "0",
        "NEWSDESK_COMMENTS_ALLOW_GUESTS": "1",
        "NEWSDESK_COMMENTS_HOLD_GUESTS": "0",
        # Three posts an hour per address: the fourth is refused, whichever server takes it.
        "NEWSDESK_COMMENTS_IP_PER_MINUTE": "0",
        "NEWSDESK_COMMENTS_IP_PER_HOUR": "3",
        "LOG_LEVEL": "ERROR",
    }
    processes: list[subprocess.Popen] = []
    logs: list[Path] = []

    def spawn(label: str, argv: list[str], var_dir: str) -> subprocess.Popen:
        log = workdir / f"{label}.log"
        logs.append(log)
        with log.open("wb") as out:
            process = subprocess.Popen(
                argv,
                env={**env, "NEWSDESK_VAR_DIR": var_dir},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        processes.append(process)
        return process

    clock = time.monotonic()
    try:
        run = {**env, "NEWSDESK_VAR_DIR": str(workdir / "var-setup")}
        subprocess.run([NEWSDESK, "migrate", "--noinput", "-v0"], env=run, check=True, timeout=180)
        print(f"scale-out: migrated in {time.monotonic() - clock:.1f} s")
        article = scratch(run, "article")
        sites = []
        for label in ("a", "b"):
            port = free_port()
            spawn(
                f"server-{label}",
                [NEWSDESK, "serve", "--port", str(port), "--workers", "2"],
                str(workdir / f"var-{label}"),
            )
            sites.append(Site(port))
        for label in ("1", "2"):
            spawn(
                f"worker-{label}",
                [NEWSDESK, "db_worker", "--interval", "0.2"],
                str(workdir / f"var-worker-{label}"),
            )
        for site in sites:
            wait_until_serving(site, processes, logs)
        print(f"scale-out: two servers and two workers up at {time.monotonic() - clock:.1f} s")
        yield {"sites": sites, "article": article, "env": run, "workdir": workdir}
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        database.close()
        redis.Redis.from_url(redis_url).flushdb()
        shutil.rmtree(workdir, ignore_errors=True)


def wait_until_serving(site: Site, processes, logs, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs, strict=True):
            if process.poll() is not None:
                pytest.fail(f"{log.name} exited:\n{log.read_text()[-3000:]}")
        try:
            site.get("/")
            return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"server on port {site.port} did not answer in {timeout} s")


def csrf_cookie(site: Site, path: str) -> tuple[str, str]:
    """A CSRF token handed out by ``site`` with a page, as a browser would keep it."""
    status, response, _ = site.get(path)
    assert status == 200
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie = SimpleCookie(header)
        if "csrftoken" in cookie:
            token = cookie["csrftoken"].value
            return token, f"csrftoken={token}"
    raise AssertionError(f"no CSRF cookie from {path}")


def post_comment(site: Site, article: dict, token: str, cookies: str, text: str) -> int:
    form = {
        "csrfmiddlewaretoken": token,
        "body": text,
        "guest_name": "Scale Tester",
        "guest_email": "scale@example.org",
    }
    status, _, _ = site.request("POST", f"/comments/post/{article['id']}/", form, cookies)
    return status


def test_comment_rate_limit_and_cache_invalidation_across_two_servers(cluster):
    a, b = cluster["sites"]
    url = cluster["article"]["url"]

    # B caches the page for anonymous readers (second request is a hit).
    b.get(url)
    status, response, before = b.get(url)
    assert status == 200 and response.getheader("X-Page-Cache") == "hit"

    # A comment posted through A (token handed out by A) ...
    token, cookies = csrf_cookie(a, url)
    assert post_comment(a, cluster["article"], token, cookies, "First through server A") == 302
    # ... is on the page B serves next, and B's cached copy was dropped for it.
    status, response, after = b.get(url)
    assert status == 200
    assert "First through server A" in after and "First through server A" not in before
    assert response.getheader("X-Page-Cache") == "miss"
    assert "First through server A" in a.get(url)[2]

    # The rate limit (3 an hour per address) counts posts on both servers together.
    assert post_comment(b, cluster["article"], token, cookies, "Second, through B") == 302
    assert post_comment(a, cluster["article"], token, cookies, "Third, through A") == 302
    assert post_comment(b, cluster["article"], token, cookies, "Fourth, through B") == 429
    assert post_comment(a, cluster["article"], token, cookies, "Fifth, through A") == 429
    page = b.get(url)[2]
    assert "Third, through A" in page and "Fourth, through B" not in page


def test_each_background_task_runs_exactly_once_with_two_workers(cluster):
    log = cluster["workdir"] / "tasks.log"
    env = cluster["env"]
    scratch(env, "enqueue", str(TASKS))
    deadline = time.monotonic() + 30
    lines: list[str] = []
    while time.monotonic() < deadline:
        lines = log.read_text().splitlines() if log.exists() else []
        if len(lines) >= TASKS:
            break
        time.sleep(0.2)
    time.sleep(1.0)  # a task run twice would show up now
    lines = log.read_text().splitlines()
    tokens = sorted(line.split()[0] for line in lines)
    assert tokens == sorted(f"task-{i}" for i in range(TASKS))
    statuses = scratch(env, "task-statuses")
    assert statuses == {"SUCCESSFUL": TASKS}


NGINX_MAIN = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    include {dir}/newsdesk.conf;
}}
"""


def nginx_site_conf(ports: list[int], listen_port: int, cache_dir: Path) -> str:
    """deploy/nginx.conf with this test's upstreams, listen address and cache path."""
    text = (HERE.parent.parent / "deploy" / "nginx.conf").read_text()
    upstream_lines = [
        line for line in text.splitlines() if line.strip().startswith("server 127.0.0.1:")
    ]
    assert len(upstream_lines) == 2, "deploy/nginx.conf: expected two upstream server lines"
    for line, port in zip(upstream_lines, ports, strict=True):
        text = text.replace(line, line.replace(line.split()[1], f"127.0.0.1:{port}"))
    assert "listen 80;" in text and "/var/cache/nginx/newsdesk" in text
    text = text.replace("listen 80;", f"listen 127.0.0.1:{listen_port};")
    return text.replace("/var/cache/nginx/newsdesk", str(cache_dir))


def test_nginx_in_front_of_both_servers_micro_caches_only_cookieless_pages(cluster):
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        pytest.skip(
            "nginx is not installed (apt-get install nginx): deploy/nginx.conf not exercised"
        )
    directory = cluster["workdir"] / "nginx"
    (directory / "tmp").mkdir(parents=True)
    directory.chmod(0o755)
    port = free_port()
    (directory / "newsdesk.conf").write_text(
        nginx_site_conf([site.port for site in cluster["sites"]], port, directory / "cache")
    )
    (directory / "nginx.conf").write_text(NGINX_MAIN.format(dir=directory))
    process = subprocess.Popen(
        [nginx, "-c", str(directory / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        front = Site(port)
        wait_until_serving(front, [process], [directory / "nginx-error.log"])
        statuses = [front.get("/")[1].getheader("X-Micro-Cache") for _ in range(3)]
        assert statuses[-1] == "HIT"  # a cookie-less front page is shared for a second
        status, response, body = front.get(cluster["article"]["url"])
        assert status == 200 and "Two servers, one story" in body
        # The article page hands out a CSRF cookie: nginx must not keep it for others.
        assert response.getheader("X-Micro-Cache") != "HIT"
        assert front.get(cluster["article"]["url"])[1].getheader("X-Micro-Cache") != "HIT"
        logged = front.request("GET", "/", cookies="sessionid=someone")[1]
        assert logged.getheader("X-Micro-Cache") == "BYPASS"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
