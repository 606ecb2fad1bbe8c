"""newsdesk purge_ips [--days N] — forget commenters' IP addresses after the retention period."""

from django.core.management.base import BaseCommand

from newsdesk.comments.retention import purge_old_ip_addresses


class Command(BaseCommand):
    help = "Forget IP addresses and user agents of comments older than COMMENTS_IP_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None)

    def handle(self, *args, **options):
        changed = purge_old_ip_addresses(options["days"])
        self.stdout.write(f"{changed} comments forgot their IP address")
