"""The article page's enrichment block, loaded in a fixed number of queries."""

from django import template
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.enrich.models import Quote, RelatedArticle, StoryArticle

register = template.Library()

RELATED_SHOWN = 5


@register.inclusion_tag("enrich/_extras.html")
def article_extras(article: Article) -> dict:
    """Quotes with speakers, related stories and the developing story: three queries."""
    quotes = list(Quote.objects.filter(article=article).select_related("speaker"))
    related = [
        link.related
        for link in RelatedArticle.objects.filter(
            article=article,
            related__status=Article.Status.PUBLISHED,
            related__published_at__lte=timezone.now(),
        )
        .select_related("related__source")
        .order_by("-score", "-related__published_at", "-related_id")[:RELATED_SHOWN]
    ]
    memberships = StoryArticle.objects.filter(article=article).select_related("story").order_by()
    membership = next(iter(memberships[:1]), None)
    return {
        "article": article,
        "quotes": quotes,
        "related": related,
        "story": membership.story if membership else None,
    }
