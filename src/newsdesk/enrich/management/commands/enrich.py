"""newsdesk enrich [--all | ARTICLE_ID_OR_SLUG...]: re-run enrichment, e.g. after a model change."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from newsdesk.articles.models import Article
from newsdesk.enrich.recogniser import get_recogniser
from newsdesk.enrich.services import enrich_article


class Command(BaseCommand):
    help = "Recognise entities, tags, quotes, related articles and stories again."

    def add_arguments(self, parser):
        parser.add_argument("articles", nargs="*", help="article ids or slugs")
        parser.add_argument("--all", action="store_true", help="every article, oldest first")

    def handle(self, *args, articles, all, **options):
        if all == bool(articles):
            raise CommandError("give --all or one or more article ids/slugs")
        recogniser = get_recogniser()
        if recogniser is None:
            raise CommandError("no entity recogniser: install spaCy and the model (see log above)")
        queryset = Article.objects.order_by("published_at", "id")
        if not all:
            ids = [int(a) for a in articles if a.isdigit()]
            queryset = queryset.filter(Q(pk__in=ids) | Q(slug__in=articles))
            found = {str(a.pk) for a in queryset} | {a.slug for a in queryset}
            missing = [a for a in articles if a not in found]
            if missing:
                raise CommandError(f"no such article: {', '.join(missing)}")
        total = queryset.count()
        width = len(str(total))
        for n, article in enumerate(queryset.iterator(), start=1):
            result = enrich_article(article, recogniser)
            self.stdout.write(
                f"[{n:>{width}}/{total}] {article.slug}: {result.entities} entities, "
                f"{result.accepted_tags} tags, {result.suggested_tags} suggested, "
                f"{result.quotes} quotes"
            )
        self.stdout.write(self.style.SUCCESS(f"{total} article(s) enriched"))
