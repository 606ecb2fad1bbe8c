"""What an editor or an importer does to articles, as plain functions.

Views, the admin, management commands, the API and background tasks call these, so
every way into the newsroom follows one code path.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from newsdesk.articles.models import Article, ArticleTag, Author, Source, Tag
from newsdesk.articles.slugs import base_slug, unique_slug
from newsdesk.ingest.dedupe import normalise_text

# How a lowercase source line maps to the name readers know; anything else is title-cased.
KNOWN_SOURCE_NAMES = {
    "reuters": "Reuters",
    "ap": "AP",
    "associated press": "AP",
    "afp": "AFP",
    "bbc": "BBC",
    "cnn": "CNN",
    "dpa": "dpa",
    "upi": "UPI",
    "npr": "NPR",
    "tass": "TASS",
    "ukrinform": "Ukrinform",
}


@dataclass
class StoryInput:
    """A story as it arrives from any importer, before it is an Article."""

    headline: str
    body: str
    source_name: str | None = None
    source_url: str = ""
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    language: str = "en"
    canonical_url: str = ""
    status: str = Article.Status.PUBLISHED


@dataclass
class UpsertResult:
    article: Article
    outcome: str  # "imported" | "updated" | "unchanged"


def content_fingerprint(headline: str, body: str, tags: Iterable[str] = ()) -> str:
    material = "\x1f".join(
        [normalise_text(headline), normalise_text(body), *sorted(normalise_text(t) for t in tags)]
    )
    return hashlib.sha256(material.encode()).hexdigest()


def import_key(source_name: str | None, headline: str) -> str:
    material = f"{normalise_text(source_name or '')}\x1f{normalise_text(headline)}"
    return hashlib.sha256(material.encode()).hexdigest()


def display_source_name(raw: str) -> str:
    cleaned = " ".join(raw.split())
    return KNOWN_SOURCE_NAMES.get(cleaned.lower(), cleaned if not cleaned.islower() else cleaned.title())


def get_or_create_source(raw_name: str, homepage_url: str = "") -> Source:
    name = display_source_name(raw_name)
    source = Source.objects.filter(name__iexact=name).first()
    if source is None:
        source = Source.objects.create(
            name=name, slug=unique_slug(name, Source), homepage_url=homepage_url
        )
    return source


def get_or_create_tag(name: str, kind: str = Tag.Kind.TOPIC) -> Tag:
    name = " ".join(name.split())[:200]
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is None:
        tag = Tag.objects.create(name=name, slug=unique_slug(name, Tag), kind=kind)
    return tag


def get_or_create_author(name: str) -> Author:
    name = " ".join(name.split())[:200]
    author = Author.objects.filter(name__iexact=name).first()
    if author is None:
        author = Author.objects.create(name=name, slug=unique_slug(name, Author))
    return author


def set_tags(article: Article, names: Iterable[str], origin: str) -> None:
    """Make the accepted tags of this origin exactly ``names``; other origins are kept."""
    wanted = {}
    for name in names:
        tag = get_or_create_tag(name)
        wanted[tag.pk] = tag
    ArticleTag.objects.filter(article=article, origin=origin).exclude(tag_id__in=wanted).delete()
    existing = set(ArticleTag.objects.filter(article=article).values_list("tag_id", flat=True))
    ArticleTag.objects.bulk_create(
        [ArticleTag(article=article, tag=tag, origin=origin) for pk, tag in wanted.items() if pk not in existing]
    )


@transaction.atomic
def upsert_story(story: StoryInput) -> UpsertResult:
    """Create the article, update it if this is a new version, or leave it alone.

    The same content (fingerprint) is "unchanged"; the same source and headline with
    new content is an update.
    """
    fingerprint = content_fingerprint(story.headline, story.body, story.tags)
    key = import_key(story.source_name, story.headline)
    article = Article.objects.filter(fingerprint=fingerprint).first()
    if article is not None:
        return UpsertResult(article, "unchanged")
    article = Article.objects.filter(import_key=key).first()
    outcome = "updated" if article is not None else "imported"
    if article is None:
        article = Article(status=story.status)
    article.headline = story.headline
    article.body = story.body
    article.language = story.language or "en"
    article.canonical_url = story.canonical_url
    article.fingerprint = fingerprint
    article.import_key = key
    article.source = get_or_create_source(story.source_name, story.source_url) if story.source_name else None
    if story.published_at:
        article.published_at = story.published_at
    elif outcome == "imported":
        article.published_at = timezone.now()
    article.full_clean(exclude=["slug", "canonical_url", "source"])
    article.save()
    set_tags(article, story.tags, ArticleTag.Origin.IMPORT)
    if story.authors:
        article.authors.set([get_or_create_author(name) for name in story.authors])
    return UpsertResult(article, outcome)


def resolve_slug(slug: str) -> tuple[Article | None, str | None]:
    """The article at this slug, or the slug it moved to (for a redirect)."""
    article = Article.objects.filter(slug=slug).first()
    if article is not None:
        return article, None
    from newsdesk.articles.models import SlugRedirect

    redirect = SlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
    if redirect is not None:
        return None, redirect.article.slug
    return None, None


__all__ = ["StoryInput", "UpsertResult", "upsert_story", "base_slug", "resolve_slug"]
