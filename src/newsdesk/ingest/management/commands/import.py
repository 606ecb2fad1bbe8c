"""newsdesk import PATH... — import stories from files, directories or stdin (-).

Page text, HTML pages (.html, .htm, .html.gz), WordPress WXR and Disqus XML exports,
told apart by name and content. Files already imported (same bytes) are skipped, so an
interrupted batch is resumed by running the same command again. With --background the
batch is queued for `newsdesk worker` instead (newsdesk.ingest.tasks.import_batch_task).
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.ingest.importer import STDIN, import_paths, summarise
from newsdesk.ingest.tasks import import_batch_task

PROGRESS_BAR_FROM = 5


class Command(BaseCommand):
    help = (
        "Import stories from page-text or HTML files (.html, .htm, .html.gz), WordPress or "
        "Disqus XML exports, directories of them, or - for stdin (page text)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--no-progress", action="store_true", help="never draw a progress bar")
        parser.add_argument(
            "--background",
            action="store_true",
            help="queue the batch for `newsdesk worker` and return at once",
        )

    def handle(self, *args, **options):
        paths = options["paths"]
        if options["background"]:
            if STDIN in paths:
                raise CommandError("stdin (-) cannot be imported in the background")
            # Absolute: the worker need not share this shell's working directory.
            result = import_batch_task.enqueue([str(Path(p).resolve()) for p in paths])
            self.stdout.write(f"queued import task {result.id}")
            return
        draw = not options["no_progress"] and self.stderr._out.isatty()

        def progress(done: int, total: int, outcome) -> None:
            if draw and total > PROGRESS_BAR_FROM:
                width = 30
                filled = width * done // total
                self.stderr.write(
                    f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending=""
                )
                if done == total:
                    self.stderr.write("")

        outcomes = import_paths(paths, stdin=sys.stdin.buffer, on_progress=progress)
        for outcome in outcomes:
            if outcome.status != "failed" and options["verbosity"] > 1:
                self.stdout.write(f"{outcome.status}: {outcome.path}")
        self.stdout.write(summarise(outcomes))
        if any(o.status == "failed" for o in outcomes):
            raise CommandError("some inputs failed to import", returncode=1)
