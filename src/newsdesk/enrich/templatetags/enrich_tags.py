"""The article page's enrichment block, loaded in a fixed number of queries."""

from django import template
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.enrich.models import Quote, RelatedArticle, StoryArticle

register = template.Library()

RELATED_SHOWN = 5


@register.inclusion_tag("enrich/_extras.html")
def article_extras(article: Article) -> dict:
    """Quotes with speakers, related stories and the developing story: two queries, and
    one more unless the article came with its story (select_related)."""
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
    try:  # no query when the page loaded it with the article (select_related)
        story = article.story_membership.story
    except StoryArticle.DoesNotExist:
        story = None
    return {"article": article, "quotes": quotes, "related": related, "story": story}
