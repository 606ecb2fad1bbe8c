"""The search backend interface and the values it returns."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from math import ceil
from typing import TYPE_CHECKING, Protocol

from django.db import connection
from django.utils import timezone
from django.utils.safestring import SafeString

from newsdesk.search.documents import Document
from newsdesk.search.query import SearchQuery

if TYPE_CHECKING:
    from newsdesk.articles.models import Article


@dataclass
class SearchHit:
    article_id: int
    rank: float  # higher is more relevant, comparable within one result page only
    headline_html: SafeString  # the headline with matches in <mark>
    snippet_html: SafeString  # a passage of the body with matches in <mark>
    article: "Article | None" = None  # filled in by services.search


@dataclass
class SearchPage:
    query: SearchQuery
    hits: list[SearchHit] = field(default_factory=list)
    total: int = 0

    @property
    def number(self) -> int:
        return self.query.page

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.total / self.query.per_page))

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class SearchBackend(Protocol):
    def index(self, document: Document) -> None: ...

    def index_many(self, documents: list[Document]) -> None: ...

    def remove(self, article_id: int) -> None: ...

    def clear(self) -> None: ...

    def search(self, query: SearchQuery) -> SearchPage: ...


def filter_sql(query: SearchQuery, article_id: str = "a.id", check_status: bool = True):
    """SQL conditions on a row ``a`` with published_at and source_id columns: published
    already, and the reader's filters. Returns (sql, params)."""
    ops = connection.ops
    conditions = ["a.published_at <= %s"]
    params: list = [ops.adapt_datetimefield_value(timezone.now())]
    if check_status:
        conditions.append("a.status = %s")
        params.append("published")
    if query.source:
        conditions.append("a.source_id = (SELECT s.id FROM articles_source s WHERE s.slug = %s)")
        params.append(query.source)
    if query.tag:
        conditions.append(
            "EXISTS (SELECT 1 FROM articles_articletag l JOIN articles_tag t ON t.id = l.tag_id"  # noqa: S608 (a column name from code)
            f" WHERE l.article_id = {article_id} AND l.state = %s AND t.slug = %s)"
        )
        params += ["accepted", query.tag]
    if query.date_from:
        conditions.append("a.published_at >= %s")
        params.append(ops.adapt_datetimefield_value(_start_of(query.date_from)))
    if query.date_to:
        conditions.append("a.published_at < %s")
        params.append(ops.adapt_datetimefield_value(_start_of(query.date_to + timedelta(days=1))))
    return " AND ".join(conditions), params


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
