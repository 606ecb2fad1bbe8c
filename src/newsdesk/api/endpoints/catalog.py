"""Tags, sources and search: what a client uses to find articles."""

from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from newsdesk.api import present
from newsdesk.api.schemas import SLUG, SearchPage, SourceList, TagList
from newsdesk.api.schemas import Problem as ProblemSchema
from newsdesk.articles.models import Article, ArticleTag, Source, Tag
from newsdesk.search import services as search_services
from newsdesk.search.query import MAX_QUERY_CHARS, SearchQuery, parse_user_query

router = Router()

MAX_SEARCH_PAGE = 500
# Days at the very ends of the calendar overflow once shifted into UTC or to the next day.
EARLIEST, LATEST = date(1000, 1, 1), date(9998, 12, 31)


def _published_ids():
    return Article.objects.published().values("pk")


@router.get("/tags", response={200: TagList}, tags=["tags"], summary="Tags in use")
def tag_list(request: HttpRequest):
    """Tags on at least one published article, by name, with how many."""
    counted = Count(
        "article_tags",
        filter=Q(
            article_tags__state=ArticleTag.State.ACCEPTED,
            article_tags__article__in=_published_ids(),
        ),
    )
    tags = Tag.objects.annotate(article_count=counted).filter(article_count__gt=0).order_by("name")
    return {
        "items": [{**present.tag_dict(request, t), "article_count": t.article_count} for t in tags]
    }


@router.get("/sources", response={200: SourceList}, tags=["sources"], summary="Sources")
def source_list(request: HttpRequest):
    """Sources with at least one published article, by name, with how many."""
    counted = Count("articles", filter=Q(articles__in=_published_ids()))
    sources = (
        Source.objects.annotate(article_count=counted).filter(article_count__gt=0).order_by("name")
    )
    return {
        "items": [
            {**present.source_dict(request, s), "article_count": s.article_count} for s in sources
        ]
    }


class SearchParams(Schema):
    q: str = Field(default="", max_length=5000, description='Words, "a phrase", -excluded.')
    tag: str | None = Field(default=None, pattern=SLUG, max_length=200, description="A tag's slug.")
    source: str | None = Field(
        default=None, pattern=SLUG, max_length=200, description="A source's slug."
    )
    date_from: date | None = Field(
        default=None, ge=EARLIEST, le=LATEST, description="Published on or after this day."
    )
    date_to: date | None = Field(
        default=None, ge=EARLIEST, le=LATEST, description="Published on or before this day."
    )
    page: int = Field(default=1, ge=1, le=MAX_SEARCH_PAGE)
    limit: int = Field(default=20, ge=1, le=100)


def _search_next_link(request: HttpRequest, params: SearchParams, has_next: bool) -> str | None:
    if not has_next:
        return None
    query = [(k, v) for k, v in request.GET.items() if k != "page"] + [("page", params.page + 1)]
    return request.build_absolute_uri(request.path) + "?" + urlencode(query)


@router.get(
    "/search",
    response={200: SearchPage, 422: ProblemSchema},
    tags=["search"],
    summary="Full-text search, most relevant first",
)
def search(request: HttpRequest, params: Query[SearchParams]):
    """Any text is a valid query; one with no words (or only -exclusions) finds nothing."""
    text = params.q[:MAX_QUERY_CHARS]
    empty = {"query": params.q, "total": 0, "page": params.page, "items": [], "next": None}
    if parse_user_query(text).is_empty:
        return empty
    result = search_services.search(
        SearchQuery(
            text=text,
            tag=params.tag or "",
            source=params.source or "",
            date_from=params.date_from,
            date_to=params.date_to,
            page=params.page,
            per_page=params.limit,
        )
    )
    has_next = result.has_next() and params.page < MAX_SEARCH_PAGE
    return {
        "query": params.q,
        "total": result.total,
        "page": params.page,
        "items": [
            {
                "article": present.article_summary(request, hit.article),
                "headline_html": str(hit.headline_html),
                "snippet_html": str(hit.snippet_html),
            }
            for hit in result.hits
        ],
        "next": _search_next_link(request, params, has_next),
    }
