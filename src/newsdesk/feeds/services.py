"""What the feeds and sitemaps list: plain queries and text shaping, no HTTP."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsdesk.articles.models import Article, Source, Tag

NEWS_SITEMAP_HOURS = 48
NEWS_SITEMAP_MAX_URLS = 1000  # Google News reads at most 1,000 URLs per sitemap


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def latest_articles(*, tag: Tag | None = None, source: Source | None = None) -> list[Article]:
    articles = Article.objects.published().for_listing().prefetch_related("authors")
    if tag is not None:
        articles = articles.filter(article_tags__tag=tag, article_tags__state="accepted")
    if source is not None:
        articles = articles.filter(source=source)
    return list(articles[: settings.FEEDS_ITEMS])


def article_html(article: Article) -> SafeString:
    """The story for a feed reader: every paragraph, or the first one (FEEDS_FULL_TEXT)."""
    paragraphs = article.paragraphs if settings.FEEDS_FULL_TEXT else article.paragraphs[:1]
    return mark_safe("".join(f"<p>{escape(p)}</p>" for p in paragraphs))  # noqa: S308 - escaped


def summary_text(article: Article) -> str:
    return article.paragraphs[0] if article.paragraphs else ""


def published_comments(article: Article):
    return (
        article.comments.published()
        .select_related("author", "article")
        .order_by("-created_at", "-id")[: settings.FEEDS_ITEMS]
    )


def commenter_name(comment) -> str:
    if comment.author_id:
        return comment.author.get_full_name() or comment.author.get_username()
    return comment.guest_name


def recent_news(now=None) -> list[Article]:
    """Published stories of the last 48 hours, for the Google News sitemap."""
    now = now or timezone.now()
    return list(
        Article.objects.published()
        .filter(published_at__gte=now - timedelta(hours=NEWS_SITEMAP_HOURS))
        .order_by("-published_at")[:NEWS_SITEMAP_MAX_URLS]
    )
