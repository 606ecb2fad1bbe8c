"""newsdesk backup FILE — a consistent copy of the whole database, taken while the site serves."""

from django.core.management.base import BaseCommand, CommandError

from newsdesk.site.backup import BackupError, backup_database


class Command(BaseCommand):
    help = (
        "Back up the database to FILE: SQLite through its online backup API, PostgreSQL "
        "through pg_dump -Fc. Safe while the site is serving."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="where to write the backup (replaced if it exists)")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            path = backup_database(options["file"], alias=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"backup written to {path} ({path.stat().st_size} bytes)")
