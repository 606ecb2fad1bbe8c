"""Editors creating and changing articles through the API.

Creation goes through ``articles.services.upsert_story`` like every importer; changes are
plain model saves (so the search index and other ``post_save`` listeners follow), with the
article's fingerprint recomputed so a later import of the old text is seen as new.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from newsdesk.articles.models import Article, ArticleTag
from newsdesk.articles.services import (
    StoryInput,
    content_fingerprint,
    get_or_create_author,
    get_or_create_source,
    get_or_create_tag,
    import_key,
    upsert_story,
)


class ArticleConflict(Exception):
    def __init__(self, existing: Article) -> None:
        super().__init__(f"article {existing.pk} already has this content or headline")
        self.existing = existing


class InvalidArticle(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass
class ArticleChanges:
    """The fields to change; None means "leave as it is"."""

    headline: str | None = None
    body: str | None = None
    source: str | None = None
    tags: list[str] | None = None
    authors: list[str] | None = None
    published_at: datetime | None = None
    language: str | None = None
    canonical_url: str | None = None
    status: str | None = None
    clear_source: bool = field(default=False)


def clean_names(names: list[str], what: str) -> list[str]:
    cleaned = [" ".join(name.split()) for name in names]
    if any(not name or len(name) > 200 for name in cleaned):
        raise InvalidArticle({what: ["Each name needs 1 to 200 visible characters."]})
    return list(dict.fromkeys(cleaned))


def _clean_text(value: str, what: str) -> str:
    if not value.strip() or "\x00" in value:
        raise InvalidArticle({what: ["Must have visible text and no NUL characters."]})
    return value.strip()


@transaction.atomic
def create_article(story: StoryInput) -> Article:
    """A new article, or ArticleConflict when the same story (content or source+headline) exists."""
    story.headline = _clean_text(story.headline, "headline")
    story.body = _clean_text(story.body, "body")
    story.tags = clean_names(story.tags, "tags")
    story.authors = clean_names(story.authors, "authors")
    if story.canonical_url:
        try:
            URLValidator()(story.canonical_url)
        except ValidationError:
            raise InvalidArticle({"canonical_url": ["Enter a valid URL."]}) from None
    existing = (
        Article.objects.filter(
            fingerprint=content_fingerprint(story.headline, story.body, story.tags)
        ).first()
        or Article.objects.filter(import_key=import_key(story.source_name, story.headline)).first()
    )
    if existing is not None:
        raise ArticleConflict(existing)
    try:
        result = upsert_story(story)
    except ValidationError as error:
        raise InvalidArticle(error.message_dict) from None
    # upsert_story files tags as imported; these came from an editor.
    ArticleTag.objects.filter(article=result.article).update(origin=ArticleTag.Origin.EDITOR)
    return result.article


def set_visible_tags(article: Article, names: list[str]) -> None:
    """Make the article's accepted tags exactly ``names``, whatever their origin was."""
    wanted = {get_or_create_tag(name).pk for name in names}
    links = ArticleTag.objects.filter(article=article)
    links.filter(state=ArticleTag.State.ACCEPTED).exclude(tag_id__in=wanted).delete()
    links.filter(tag_id__in=wanted).exclude(state=ArticleTag.State.ACCEPTED).update(
        state=ArticleTag.State.ACCEPTED, origin=ArticleTag.Origin.EDITOR
    )
    present = set(links.values_list("tag_id", flat=True))
    ArticleTag.objects.bulk_create(
        [
            ArticleTag(article=article, tag_id=pk, origin=ArticleTag.Origin.EDITOR)
            for pk in wanted - present
        ]
    )


@transaction.atomic
def update_article(article: Article, changes: ArticleChanges) -> Article:
    if changes.headline is not None:
        article.headline = _clean_text(changes.headline, "headline")
    if changes.body is not None:
        article.body = _clean_text(changes.body, "body")
    if changes.language is not None:
        article.language = changes.language
    if changes.canonical_url is not None:
        article.canonical_url = changes.canonical_url
    if changes.status is not None:
        article.status = changes.status
    if changes.published_at is not None:
        article.published_at = changes.published_at
    if changes.clear_source:
        article.source = None
    elif changes.source is not None:
        article.source = get_or_create_source(_clean_text(changes.source, "source"))
    tags = clean_names(changes.tags, "tags") if changes.tags is not None else None
    if tags is not None:
        set_visible_tags(article, tags)
    visible = tags if tags is not None else [tag.name for tag in article.visible_tags]
    article.fingerprint = content_fingerprint(article.headline, article.body, visible)
    try:
        article.full_clean(exclude=["slug", "source", "fingerprint", "import_key"])
    except ValidationError as error:
        raise InvalidArticle(error.message_dict) from None
    article.save()
    if changes.authors is not None:
        names = clean_names(changes.authors, "authors")
        article.authors.set([get_or_create_author(name) for name in names])
    return article
