"""Models turned into the plain dicts the API's schemas describe.

Only fields meant for the public leave here: a comment's IP address, e-mail,
spam score and moderation reasons are never read.
"""

from django.urls import reverse

from newsdesk.articles.models import Article, Source, Tag
from newsdesk.comments.thread import display_name


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


def tag_dict(request, tag: Tag) -> dict:
    return {
        "name": tag.name,
        "slug": tag.slug,
        "kind": tag.kind,
        "url": _absolute(request, tag.get_absolute_url()),
    }


def source_dict(request, source: Source | None) -> dict | None:
    if source is None:
        return None
    return {
        "name": source.name,
        "slug": source.slug,
        "homepage_url": source.homepage_url,
        "url": _absolute(request, source.get_absolute_url()),
    }


def article_summary(request, article: Article) -> dict:
    return {
        "id": article.pk,
        "slug": article.slug,
        "headline": article.headline,
        "url": _absolute(request, article.get_absolute_url()),
        "api_url": _absolute(request, reverse("api:article_detail", args=[article.slug])),
        "source": source_dict(request, article.source),
        "published": article.published_at,
        "updated": article.updated_at,
        "language": article.language,
        "status": article.status,
        "tags": [tag_dict(request, tag) for tag in article.visible_tags],
        "comment_count": article.comment_count,
    }


def article_detail(request, article: Article) -> dict:
    return {
        **article_summary(request, article),
        "authors": [author.name for author in article.authors.all()],
        "canonical_url": article.canonical_url,
        "body": article.paragraphs,
    }


def comment_dict(comment) -> dict:
    return {
        "id": comment.pk,
        "parent": comment.parent_id,
        "author": display_name(comment),
        "body_html": comment.body_html,
        "created": comment.created_at,
        "edited": comment.edited_at,
        "recommendation_count": comment.recommendation_count,
    }
