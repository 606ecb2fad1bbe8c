"""``newsdesk search reindex``: rebuild the search index from the published articles."""

import time

from django.core.management.base import BaseCommand

from newsdesk.search import services


class Command(BaseCommand):
    help = "Search index maintenance."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("reindex", help="rebuild the index from every published article")

    def handle(self, *args, action: str, **options):
        if action == "reindex":
            started = time.monotonic()
            count = services.reindex()
            elapsed = time.monotonic() - started
            self.stdout.write(f"{count} articles indexed in {elapsed:.1f} s")
