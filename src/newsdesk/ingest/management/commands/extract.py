"""newsdesk extract PATH... --json — extract articles from HTML pages without importing."""

import json

from django.core.management.base import BaseCommand, CommandError

from newsdesk.ingest.extract import ExtractionError, extract_html
from newsdesk.ingest.importer import ImportFailed, detect_kind, expand_paths, read_input


def extract_path(path: str) -> dict:
    """One JSON-ready record for one input: the extracted fields, or path and error."""
    try:
        kind, data = detect_kind(path, read_input(path))
        if kind != "html":
            raise ImportFailed(f"not an HTML page (looks like {kind})")
        page = extract_html(data)
    except (ImportFailed, ExtractionError) as exc:
        return {"path": path, "error": str(exc)}
    return {
        "path": path,
        "title": page.title,
        "source": page.source,
        "author": page.author,
        "published": page.published.isoformat() if page.published else None,
        "language": page.language,
        "tags": page.tags,
        "body": page.body,
        "canonical_url": page.canonical_url,
    }


class Command(BaseCommand):
    help = "Extract the article from HTML pages (.html, .htm, .html.gz) without importing."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--json",
            action="store_true",
            help="one JSON object per input per line (the only format today)",
        )

    def handle(self, *args, **options):
        failed = 0
        for path in expand_paths(options["paths"]):
            record = extract_path(path)
            failed += "error" in record
            if options["json"]:
                self.stdout.write(json.dumps(record, ensure_ascii=False))
            elif "error" in record:
                self.stdout.write(f"{path}: error: {record['error']}")
            else:
                words = len(record["body"].split())
                self.stdout.write(
                    f"{path}: {record['title']!r} · {record['source']} · "
                    f"{record['published']} · {words} words"
                )
        if failed:
            raise CommandError(f"{failed} inputs could not be extracted", returncode=1)
