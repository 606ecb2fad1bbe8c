"""newsdesk feeds add URL [--source NAME] [--every MINUTES] | list | remove URL|ID | poll [ID...]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from newsdesk.ingest.models import Feed
from newsdesk.ingest.polling import poll_feed
from newsdesk.ingest.services import FeedSettingsError, add_feed, find_feed, remove_feed


class Command(BaseCommand):
    help = "Manage the feeds newsdesk polls: add, list, remove, poll now."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="subscribe to a feed (RSS, Atom or JSON Feed)")
        add.add_argument("url")
        add.add_argument(
            "--source", help="source name for its stories (default: the page's site name)"
        )
        add.add_argument("--every", type=int, help="minutes between polls")
        sub.add_parser("list", help="every feed with its health")
        remove = sub.add_parser("remove", help="unsubscribe (articles already taken stay)")
        remove.add_argument("feed", metavar="URL|ID")
        poll = sub.add_parser(
            "poll", help="poll now, in this process (all active feeds by default)"
        )
        poll.add_argument("feeds", nargs="*", metavar="URL|ID")

    def handle(self, *args, **options):
        try:
            getattr(self, f"do_{options['action']}")(options)
        except FeedSettingsError as exc:
            raise CommandError(str(exc)) from exc

    def do_add(self, options):
        feed, created = add_feed(options["url"], options["source"], options["every"])
        verb = "added" if created else "updated"
        self.stdout.write(f"{verb} feed {feed.pk}: {feed.url} every {feed.every_minutes} min")

    def do_list(self, options):
        feeds = Feed.objects.select_related("source").order_by("id")
        if not feeds:
            self.stdout.write("no feeds")
        for feed in feeds:
            fetched = (
                timezone.localtime(feed.last_fetched_at).strftime("%Y-%m-%d %H:%M")
                if feed.last_fetched_at
                else "never"
            )
            health = (
                f"error x{feed.error_count}: {feed.last_error[:80]}" if feed.error_count else "ok"
            )
            self.stdout.write(
                f"{feed.pk}\t{feed.url}\t{feed.source or '-'}\tevery {feed.every_minutes} min\t"
                f"last {fetched}\t{feed.items_taken} taken\t{health}"
                + ("" if feed.active else "\tinactive")
            )

    def do_remove(self, options):
        self.stdout.write(f"removed {remove_feed(options['feed'])}")

    def do_poll(self, options):
        feeds = [find_feed(f) for f in options["feeds"]] or list(Feed.objects.filter(active=True))
        for feed in feeds:
            result = poll_feed(feed)
            line = f"{feed.url}: {result.status}, {result.taken} new"
            if result.error:
                line += f", error: {result.error}"
            if result.entry_errors:
                line += f", {len(result.entry_errors)} entries failed"
            self.stdout.write(line)
