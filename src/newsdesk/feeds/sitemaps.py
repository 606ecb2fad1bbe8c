"""sitemap.xml sections (django.contrib.sitemaps), with URLs on SITE_URL's host."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from newsdesk.articles.models import Article, Source, Tag


class SiteUrlSitemap(Sitemap):
    """Absolute URLs on the public address rather than on whatever Host the request had."""

    limit = 10000

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class ArticleSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.published().only("slug", "updated_at").order_by("-published_at", "-id")
        )

    def lastmod(self, item):
        return item.updated_at


class TagSitemap(SiteUrlSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Tag.objects.filter(
                article_tags__state="accepted",
                article_tags__article__in=Article.objects.published(),
            )
            .annotate(latest=Max("article_tags__article__published_at"))
            .order_by("name")
        )

    def lastmod(self, item):
        return item.latest


class SourceSitemap(SiteUrlSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Source.objects.filter(articles__in=Article.objects.published())
            .annotate(latest=Max("articles__published_at"))
            .order_by("name")
        )

    def lastmod(self, item):
        return item.latest


SITEMAPS = {"articles": ArticleSitemap, "tags": TagSitemap, "sources": SourceSitemap}
