"""``newsdesk spam import-labels FILE.csv`` and ``newsdesk spam classify`` (stdin)."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsdesk.moderation import spam
from newsdesk.moderation.classifier import LabelsError, load_labels_csv
from newsdesk.moderation.models import TrainingExample


class Command(BaseCommand):
    help = "Teach the spam filter from labelled comments, or classify comments from stdin."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-labels", help="import a CSV with columns text,label")
        imp.add_argument("file")
        sub.add_parser("classify", help="print spam|ham<TAB>score per line of stdin")

    def handle(self, *args, action, **options):
        if action == "import-labels":
            return self.import_labels(options["file"])
        return self.classify()

    def import_labels(self, path: str) -> None:
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                rows, errors = load_labels_csv(handle)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        except LabelsError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        TrainingExample.objects.bulk_create(
            TrainingExample(text=text, label=label, origin=TrainingExample.Origin.IMPORT)
            for text, label in rows
        )
        trained = spam.train_pending()
        for error in errors:
            self.stderr.write(f"{path}:{error.line}: {error.reason}")
        self.stdout.write(f"{len(rows)} imported, {len(errors)} skipped, {trained} trained")
        if errors:
            sys.exit(1)

    def classify(self) -> None:
        model = spam.load_classifier()
        for line in sys.stdin:
            text = line.rstrip("\n")
            score = model.score(text)
            label = "spam" if score >= settings.MODERATION_SPAM_HOLD else "ham"
            self.stdout.write(f"{label}\t{score:.3f}")
