"""``newsdesk moderation digest``: e-mail moderators when comments wait too long."""

from django.core.management.base import BaseCommand

from newsdesk.moderation.digest import send_digest


class Command(BaseCommand):
    help = "Moderation chores."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("digest", help="e-mail moderators if items wait past the setting")

    def handle(self, *args, action, **options):
        sent = send_digest()
        self.stdout.write(f"digest sent to {sent} moderators" if sent else "nothing overdue")
