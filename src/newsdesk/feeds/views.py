"""The JSON Feed, the Google News sitemap and robots.txt; RSS/Atom are in feeds.py."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from newsdesk.feeds import services
from newsdesk.feeds.sitemaps import SITEMAPS

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


@require_safe
def json_feed(request):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the site's latest stories."""
    items = []
    for article in services.latest_articles():
        item = {
            "id": services.absolute(article.get_absolute_url()),
            "url": services.absolute(article.get_absolute_url()),
            "title": article.headline,
            "content_html": str(services.article_html(article)),
            "summary": services.summary_text(article),
            "date_published": article.published_at.isoformat(),
            "date_modified": article.updated_at.isoformat(),
            "language": article.language,
            "tags": [tag.name for tag in article.visible_tags],
        }
        authors = [{"name": author.name} for author in article.authors.all()]
        if authors:
            item["authors"] = authors
        items.append(item)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": settings.SITE_NAME,
        "home_page_url": services.absolute(reverse("articles:front")),
        "feed_url": services.absolute(reverse("feeds:site-json")),
        "description": f"The latest stories on {settings.SITE_NAME}",
        "language": settings.LANGUAGE_CODE,
        "items": items,
    }
    return JsonResponse(
        feed, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False}
    )


@require_safe
def sitemap_index(request):
    """The sitemap index, listing each section's pages on SITE_URL."""
    entries = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        path = reverse("feeds:sitemap-section", kwargs={"section": section})
        for number in sitemap.paginator.page_range:
            entries.append(
                {
                    "location": services.absolute(path) + (f"?p={number}" if number > 1 else ""),
                    "lastmod": sitemap.get_latest_lastmod(),
                }
            )
    return render(
        request, "feeds/sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_safe
@cache_control(max_age=300)
def news_sitemap(request):
    """Google News sitemap: the last 48 hours of stories, with <news:news> elements."""
    return render(
        request,
        "feeds/sitemap_news.xml",
        {"articles": services.recent_news(), "publication_name": settings.SITE_NAME},
        content_type="application/xml",
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /accounts/",
        "",
        f"Sitemap: {services.absolute(reverse('feeds:sitemap-index'))}",
        f"Sitemap: {services.absolute(reverse('feeds:sitemap-news'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
