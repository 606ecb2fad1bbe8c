import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from newsdesk.site.management.commands.serve import granian_argv, gunicorn_argv


def test_granian_command_line_carries_every_serve_option():
    argv = granian_argv("127.0.0.1", "8123", workers=3, threads=2, access_log=False)
    assert argv[1:3] == ["-m", "granian"]
    assert argv[3:5] == ["--interface", "wsgi"]
    assert "--port" in argv and argv[argv.index("--port") + 1] == "8123"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--blocking-threads") + 1] == "2"
    assert "--no-access-log" in argv
    assert argv[-1] == "newsdesk.site.wsgi:application"


def test_gunicorn_command_line_binds_and_logs_when_asked():
    argv = gunicorn_argv("0.0.0.0", "9000", workers=2, threads=1, access_log=True)
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--access-logfile") + 1] == "-"


@pytest.mark.parametrize(
    ("arguments", "environ", "expected"),
    [([], {}, "1"), (["--threads", "3"], {}, "3"), ([], {"NEWSDESK_SERVE_THREADS": "2"}, "2")],
)
def test_serve_runs_one_thread_per_worker_unless_told_otherwise(
    monkeypatch, settings, arguments, environ, expected
):
    from django.core.management import call_command

    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    settings.DEBUG = True  # no collectstatic for this test
    executed = []
    monkeypatch.setattr("os.execvp", lambda file, argv: executed.append(argv))
    call_command("serve", "--server", "granian", "--workers", "2", *arguments)
    (argv,) = executed
    assert argv[argv.index("--blocking-threads") + 1] == expected
    assert argv[argv.index("--workers") + 1] == "2"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize("server", ["granian", "gunicorn"])
def test_serve_answers_pages_and_static_files(server, tmp_path):
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSDESK_VAR_DIR": str(tmp_path / "var"),
        "NEWSDESK_SERVER": server,
        "NEWSDESK_ENRICH_ENABLED": "0",
    }
    newsdesk = [sys.executable, "-m", "newsdesk"]
    subprocess.run([*newsdesk, "migrate", "-v0"], env=env, check=True, timeout=120)
    process = subprocess.Popen(
        [*newsdesk, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    page = response.read().decode()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.5)
        assert "Latest news" in page
        css = page.split('rel="stylesheet" href="')[1].split('"')[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{css}", timeout=5) as response:
            assert response.status == 200
            assert "max-age=315360000" in response.headers["Cache-Control"]
    finally:
        process.terminate()
        process.wait(timeout=30)
