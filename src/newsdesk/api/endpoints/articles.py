"""Articles: the public listing and detail, and editors creating and changing them."""

from datetime import UTC, datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status
from pydantic import AwareDatetime

from newsdesk.api import present
from newsdesk.api.auth import TOKEN_OR_SESSION, optional_user
from newsdesk.api.cursor import next_link, page_after
from newsdesk.api.editing import (
    ArticleChanges,
    ArticleConflict,
    InvalidArticle,
    create_article,
    update_article,
)
from newsdesk.api.problems import Problem
from newsdesk.api.schemas import (
    SLUG,
    ArticleDetail,
    ArticleIn,
    ArticlePage,
    ArticlePatch,
    ArticleStatus,
)
from newsdesk.api.schemas import Problem as ProblemSchema
from newsdesk.api.tokens import is_editor
from newsdesk.articles.models import Article
from newsdesk.articles.services import StoryInput, resolve_slug

router = Router(tags=["articles"])


class ArticleFilters(Schema):
    tag: str | None = Field(default=None, pattern=SLUG, max_length=200, description="A tag's slug.")
    source: str | None = Field(
        default=None, pattern=SLUG, max_length=200, description="A source's slug."
    )
    status: ArticleStatus = Field(
        default="published", description="Other than published: editors only."
    )
    published_after: AwareDatetime | None = Field(
        default=None, description="Published at or after this moment (with a time zone)."
    )
    published_before: AwareDatetime | None = Field(
        default=None, description="Published before this moment (with a time zone)."
    )
    cursor: str | None = Field(default=None, max_length=200, description="From a `next` link.")
    limit: int = Field(default=20, ge=1, le=100, description="Articles per page.")


def in_utc(moment: datetime | None, name: str) -> datetime | None:
    """The moment in UTC; a moment outside what the database can store is a client error."""
    if moment is None:
        return None
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise Problem(400, f"{name} is out of range.") from None


def visible_articles(user, status: str = "published") -> QuerySet:
    if status == "published":
        return Article.objects.published()
    if not is_editor(user):
        raise Problem(403, "Only editors may list articles that are not published.")
    return Article.objects.filter(status=status)


def find_article(user, key: str) -> Article:
    """An article by id or slug (old slugs too); 404 unless public or the caller is an editor."""
    article = None
    if "\x00" in key:
        raise Problem(404, "No article with this id or slug.")
    if key.isascii() and key.isdigit() and len(key) < 19:
        article = Article.objects.filter(pk=int(key)).first()
    if article is None:
        article, moved_to = resolve_slug(key)
        if moved_to:
            article = Article.objects.get(slug=moved_to)
    if article is None or not (article.is_public or is_editor(user)):
        raise Problem(404, "No article with this id or slug.")
    return article


@router.get(
    "/articles",
    response={200: ArticlePage, 400: ProblemSchema, 403: ProblemSchema, 422: ProblemSchema},
    summary="List articles, newest first",
)
def article_list(request: HttpRequest, filters: Query[ArticleFilters]):
    """Published articles, newest first, a page at a time; follow next for more."""
    articles = visible_articles(optional_user(request), filters.status).for_listing()
    if filters.tag:
        articles = articles.filter(
            article_tags__tag__slug=filters.tag, article_tags__state="accepted"
        )
    if filters.source:
        articles = articles.filter(source__slug=filters.source)
    if filters.published_after:
        articles = articles.filter(
            published_at__gte=in_utc(filters.published_after, "published_after")
        )
    if filters.published_before:
        articles = articles.filter(
            published_at__lt=in_utc(filters.published_before, "published_before")
        )
    items, cursor = page_after(
        articles, filters.cursor, filters.limit, field="published_at", descending=True
    )
    return {
        "items": [present.article_summary(request, article) for article in items],
        "next": next_link(request, cursor),
    }


@router.get(
    "/articles/{key}",
    response={200: ArticleDetail, 404: ProblemSchema},
    summary="One article with its body",
    url_name="article_detail",
)
def article_detail(request: HttpRequest, key: str):
    """By numeric id or by slug; a former slug still finds the article."""
    article = find_article(optional_user(request), key)
    article = (
        Article.objects.select_related("source")
        .with_visible_tags()
        .prefetch_related("authors")
        .get(pk=article.pk)
    )
    return present.article_detail(request, article)


def require_editor(request: HttpRequest):
    if not is_editor(request.auth):
        raise Problem(403, "Only editors may create or change articles.")
    return request.auth


def invalid(error: InvalidArticle) -> Problem:
    return Problem(422, "The article is not valid.", title="Invalid article", errors=error.errors)


@router.post(
    "/articles",
    auth=TOKEN_OR_SESSION,
    response={
        201: ArticleDetail,
        401: ProblemSchema,
        403: ProblemSchema,
        409: ProblemSchema,
        422: ProblemSchema,
    },
    summary="Create an article (editors)",
)
def article_create(request: HttpRequest, payload: ArticleIn):
    require_editor(request)
    story = StoryInput(
        headline=payload.headline,
        body=payload.body,
        source_name=payload.source,
        tags=payload.tags,
        authors=payload.authors,
        published_at=in_utc(payload.published, "published"),
        language=payload.language,
        canonical_url=payload.canonical_url,
        status=payload.status,
    )
    try:
        article = create_article(story)
    except ArticleConflict as conflict:
        raise Problem(
            409,
            "An article with this content, or this source and headline, exists already.",
            existing=request.build_absolute_uri(
                reverse("api:article_detail", args=[conflict.existing.slug])
            ),
        ) from None
    except InvalidArticle as error:
        raise invalid(error) from None
    return Status(201, present.article_detail(request, Article.objects.get(pk=article.pk)))


@router.patch(
    "/articles/{key}",
    auth=TOKEN_OR_SESSION,
    response={
        200: ArticleDetail,
        401: ProblemSchema,
        403: ProblemSchema,
        404: ProblemSchema,
        422: ProblemSchema,
    },
    summary="Change an article (editors)",
)
def article_update(request: HttpRequest, key: str, payload: ArticlePatch):
    """Only the fields sent change; `"source": null` removes the source."""
    user = require_editor(request)
    article = find_article(user, key)
    sent = payload.model_fields_set
    changes = ArticleChanges(
        headline=payload.headline,
        body=payload.body,
        source=payload.source,
        clear_source="source" in sent and payload.source is None,
        tags=payload.tags,
        authors=payload.authors,
        published_at=in_utc(payload.published, "published"),
        language=payload.language,
        canonical_url=payload.canonical_url,
        status=payload.status,
    )
    try:
        update_article(article, changes)
    except InvalidArticle as error:
        raise invalid(error) from None
    fresh = Article.objects.select_related("source").with_visible_tags().get(pk=article.pk)
    return present.article_detail(request, fresh)
