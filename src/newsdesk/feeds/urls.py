"""Feeds, sitemaps and robots.txt. Included before articles.urls, so the feed paths under
/tags/<slug>/ and /sources/<slug>/ and /news/<slug>/ are matched here first."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from newsdesk.feeds import feeds, views
from newsdesk.feeds.sitemaps import SITEMAPS

app_name = "feeds"

urlpatterns = [
    path("feed/rss/", feeds.ArticleFeed(), name="site-rss"),
    path("feed/atom/", feeds.AtomArticleFeed(), name="site-atom"),
    path("feed.json", views.json_feed, name="site-json"),
    path("tags/<slug:slug>/feed/rss/", feeds.TagFeed(), name="tag-rss"),
    path("tags/<slug:slug>/feed/atom/", feeds.AtomTagFeed(), name="tag-atom"),
    path("sources/<slug:slug>/feed/rss/", feeds.SourceFeed(), name="source-rss"),
    path("sources/<slug:slug>/feed/atom/", feeds.AtomSourceFeed(), name="source-atom"),
    path("news/<slug:slug>/comments/feed/rss/", feeds.CommentFeed(), name="comments-rss"),
    path("news/<slug:slug>/comments/feed/atom/", feeds.AtomCommentFeed(), name="comments-atom"),
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    # Before the section pattern, which would take "news" for a section name.
    path("sitemap-news.xml", views.news_sitemap, name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS, "template_name": "feeds/sitemap.xml"},
        name="sitemap-section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
