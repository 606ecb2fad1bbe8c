"""Keeping the search index in step with the articles, and searching it.

The one code path for the signals, the ``newsdesk search reindex`` command, the search
page and the API. Index writes run in the caller's transaction, so a rolled-back edit
leaves no trace in the index either.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.utils.module_loading import import_string

from newsdesk.articles.models import Article
from newsdesk.search.backends.base import SearchBackend, SearchPage
from newsdesk.search.documents import document_for, documents_in_batches, is_indexable
from newsdesk.search.query import SearchQuery

BACKENDS_BY_VENDOR = {
    "sqlite": "newsdesk.search.backends.sqlite_fts5.SQLiteFTS5Backend",
    "postgresql": "newsdesk.search.backends.postgres.PostgresBackend",
}


def get_backend() -> SearchBackend:
    """The backend named by SEARCH_BACKEND, or the one for the database in use."""
    path = getattr(settings, "SEARCH_BACKEND", "") or BACKENDS_BY_VENDOR.get(connection.vendor)
    if not path:
        raise ImproperlyConfigured(f"No search backend for database {connection.vendor!r}")
    return import_string(path)()


def sync_article(article_id: int) -> None:
    """Make the index agree with the article as it is now in the database."""
    article = Article.objects.select_related("source").filter(pk=article_id).first()
    backend = get_backend()
    if article is not None and is_indexable(article):
        backend.index(document_for(article))
    else:
        backend.remove(article_id)


def sync_article_now_and_on_commit(article_id: int) -> None:
    """Sync at once, and again at commit when inside a transaction.

    The second pass catches changes made later in the same transaction without signals
    (e.g. tags added with bulk_create by articles.services.set_tags).
    """
    sync_article(article_id)
    if connection.in_atomic_block:
        transaction.on_commit(lambda: sync_article(article_id))


def remove_article(article_id: int) -> None:
    get_backend().remove(article_id)


@transaction.atomic
def reindex() -> int:
    """Rebuild the whole index from the published articles; returns how many it holds."""
    backend = get_backend()
    backend.clear()
    count = 0
    for batch in documents_in_batches():
        backend.index_many(batch)
        count += len(batch)
    backend.optimize()
    return count


def search(query: SearchQuery) -> SearchPage:
    """A page of hits, most relevant first, each with its Article (source, tags loaded)."""
    page = get_backend().search(query)
    # published() again: a status changed by a bulk update (no signals) hides the hit
    # even before the next reindex.
    articles = Article.objects.published().for_listing().in_bulk([h.article_id for h in page.hits])
    for hit in page.hits:
        hit.article = articles.get(hit.article_id)
    page.hits = [hit for hit in page.hits if hit.article is not None]
    return page
