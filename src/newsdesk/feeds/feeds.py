"""RSS 2.0 and Atom feeds (Django's syndication framework): site, tag, source, comments.

Every link is made absolute from SITE_URL, so feeds name the public address even when
served behind a proxy.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from newsdesk.articles.models import Article, Source, Tag
from newsdesk.feeds import services


class ArticleFeed(Feed):
    """The site's latest stories; the base of the tag and source feeds."""

    feed_name = "rss"

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return f"The latest stories on {settings.SITE_NAME}"

    def link(self, obj=None):
        return services.absolute(reverse("articles:front"))

    def feed_url(self, obj=None):
        return services.absolute(reverse(f"feeds:site-{self.feed_name}"))

    def items(self, obj=None):
        return services.latest_articles()

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        return services.article_html(item)

    def item_link(self, item):
        return services.absolute(item.get_absolute_url())

    def item_guid(self, item):
        return self.item_link(item)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        names = [author.name for author in item.authors.all()]
        return ", ".join(names) or (item.source.name if item.source else None)

    def item_categories(self, item):
        return [tag.name for tag in item.visible_tags]


class AtomArticleFeed(ArticleFeed):
    feed_type = Atom1Feed
    feed_name = "atom"
    subtitle = ArticleFeed.description


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj=None):
        return f"Stories tagged {obj.name} on {settings.SITE_NAME}"

    def link(self, obj=None):
        return services.absolute(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return services.absolute(reverse(f"feeds:tag-{self.feed_name}", args=[obj.slug]))

    def items(self, obj=None):
        return services.latest_articles(tag=obj)


class AtomTagFeed(TagFeed):
    feed_type = Atom1Feed
    feed_name = "atom"
    subtitle = TagFeed.description


class SourceFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Source, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} · {settings.SITE_NAME}"

    def description(self, obj=None):
        return f"Stories from {obj.name} on {settings.SITE_NAME}"

    def link(self, obj=None):
        return services.absolute(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return services.absolute(reverse(f"feeds:source-{self.feed_name}", args=[obj.slug]))

    def items(self, obj=None):
        return services.latest_articles(source=obj)


class AtomSourceFeed(SourceFeed):
    feed_type = Atom1Feed
    feed_name = "atom"
    subtitle = SourceFeed.description


class CommentFeed(Feed):
    """The published comments of one public article, newest first."""

    feed_name = "rss"

    def get_object(self, request, slug):
        article = get_object_or_404(Article.objects.published(), slug=slug)
        if not article.is_public:
            raise Http404("No such article")
        return article

    def title(self, obj):
        return f"Comments on “{obj.headline}” · {settings.SITE_NAME}"

    def description(self, obj):
        return f"Reader comments on “{obj.headline}”"

    def link(self, obj):
        return services.absolute(obj.get_absolute_url()) + "#comments"

    def feed_url(self, obj):
        return services.absolute(reverse(f"feeds:comments-{self.feed_name}", args=[obj.slug]))

    def items(self, obj):
        return services.published_comments(obj)

    def item_title(self, item):
        return f"{services.commenter_name(item)} on “{item.article.headline}”"

    def item_description(self, item):
        # body_html is the output of comments.markup.render_comment, the sanitised HTML.
        return item.body_html

    def item_link(self, item):
        return services.absolute(item.article.get_absolute_url()) + f"#comment-{item.pk}"

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.edited_at or item.created_at

    def item_author_name(self, item):
        return services.commenter_name(item)


class AtomCommentFeed(CommentFeed):
    feed_type = Atom1Feed
    feed_name = "atom"
    subtitle = CommentFeed.description
