"""newsdesk serve — run the site with gunicorn (or Django's dev server with --dev)."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site on 127.0.0.1:PORT with gunicorn and whitenoise."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2"))
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("NEWSDESK_SERVE_THREADS", "1")),
            help="threads per worker (more than 1: gunicorn's gthread workers, with keep-alive)",
        )
        parser.add_argument("--dev", action="store_true", help="Django's autoreloading dev server")

    def handle(self, *args, **options):
        address = f"{options['host']}:{options['port']}"
        if options["dev"]:
            call_command("runserver", address)
            return
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"newsdesk on http://{address}/")
        sys.stdout.flush()
        os.execvp(  # noqa: S606 - replace this process with the server
            sys.executable,
            [
                sys.executable,
                "-m",
                "gunicorn",
                "newsdesk.site.wsgi:application",
                "--bind",
                address,
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                "127.0.0.1",
                "--threads",
                str(options["threads"]),
            ],
        )
