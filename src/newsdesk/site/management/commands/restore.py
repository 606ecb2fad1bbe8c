"""newsdesk restore FILE — replace the database with a backup made by `newsdesk backup`."""

from django.core.management.base import BaseCommand, CommandError

from newsdesk.site.backup import BackupError, restore_database


class Command(BaseCommand):
    help = (
        "Replace the whole database with the backup in FILE (every row written since the "
        "backup is lost) and empty the page cache."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="a backup written by `newsdesk backup`")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="do not ask for confirmation",
        )

    def handle(self, *args, **options):
        if options["interactive"]:
            answer = input(
                "This replaces every row in the database with the backup. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("restore cancelled")
        try:
            restore_database(options["file"], alias=options["database"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"restored from {options['file']}; the page cache was emptied")
