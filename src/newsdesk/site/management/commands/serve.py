"""newsdesk serve — run the site with granian (default) or gunicorn, or Django's dev server.

granian is the default because it answers cached pages several times faster than
gunicorn's sync workers on the same cores and is no slower for Django work (measured in
docs/PERFORMANCE.md, reasons in docs/DECISIONS.md). gunicorn stays one flag away.
"""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

SERVERS = ("granian", "gunicorn")
APPLICATION = "newsdesk.site.wsgi:application"
# One thread per worker process: the app is CPU-bound Python, and a second thread only
# queues on the GIL (granian: more pages and posts a second with 1 than with 2, see
# docs/DECISIONS.md); gunicorn's sync worker (1 thread) beat its gthread worker too.
DEFAULT_THREADS = {"granian": 1, "gunicorn": 1}


def granian_argv(host: str, port: str, workers: int, threads: int, access_log: bool) -> list[str]:
    """granian's WSGI interface: `threads` Python threads per worker run the app."""
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--no-ws",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        # A stop (SIGTERM/SIGINT) lets in-flight requests finish, then ends the workers.
        "--workers-kill-timeout",
        "10",
        "--access-log" if access_log else "--no-access-log",
        APPLICATION,
    ]


def gunicorn_argv(host: str, port: str, workers: int, threads: int, access_log: bool) -> list[str]:
    """gunicorn: sync workers, or gthread workers (with keep-alive) when threads > 1."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        APPLICATION,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--forwarded-allow-ips",
        "127.0.0.1",
        *(["--access-logfile", "-"] if access_log else []),
    ]


class Command(BaseCommand):
    help = "Serve the site on 127.0.0.1:PORT with granian (or gunicorn) and whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=os.environ.get("NEWSDESK_SERVE_THREADS"),
            help="threads per worker: granian's blocking threads (default 1); "
            "gunicorn's gthread workers when more than 1 (default 1, sync workers)",
        )
        parser.add_argument(
            "--server",
            choices=SERVERS,
            default=os.environ.get("NEWSDESK_SERVER", "granian"),
            help="the WSGI server (default granian; env NEWSDESK_SERVER)",
        )
        parser.add_argument(
            "--no-access-log",
            dest="access_log",
            action="store_false",
            help="no line per request on stdout (about 15-30%% more cached pages per second)",
        )
        parser.add_argument("--dev", action="store_true", help="Django's autoreloading dev server")

    def handle(self, *args, **options):
        host, port = options["host"], options["port"]
        if options["dev"]:
            call_command("runserver", f"{host}:{port}")
            return
        if options["server"] not in SERVERS:  # NEWSDESK_SERVER bypasses argparse's choices
            raise SystemExit(f"--server / NEWSDESK_SERVER must be one of {', '.join(SERVERS)}")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        build = granian_argv if options["server"] == "granian" else gunicorn_argv
        threads = options["threads"] or DEFAULT_THREADS[options["server"]]
        argv = build(host, port, options["workers"], int(threads), options["access_log"])
        self.stdout.write(f"newsdesk on http://{host}:{port}/ ({options['server']})")
        sys.stdout.flush()
        os.execvp(sys.executable, argv)  # noqa: S606 - replace this process with the server
