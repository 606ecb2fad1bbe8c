"""Load the demo stories that ship with the package (idempotent)."""

from importlib import resources

from django.core.management.base import BaseCommand

from newsdesk.ingest.importer import import_paths, summarise


class Command(BaseCommand):
    help = "Import the demo stories shipped in newsdesk/articles/demo/."

    def handle(self, *args, **options):
        demo_dir = resources.files("newsdesk.articles") / "demo"
        paths = sorted(str(p) for p in demo_dir.iterdir() if p.name.endswith(".txt"))
        self.stdout.write(summarise(import_paths(paths)))
