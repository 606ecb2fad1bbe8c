"""What each backend does with its own database: FTS5 on SQLite, tsvector on PostgreSQL."""

import pytest
from django.db import connection

from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.search import services
from newsdesk.search.backends.postgres import PostgresBackend
from newsdesk.search.backends.sqlite_fts5 import SQLiteFTS5Backend
from newsdesk.search.query import SearchQuery

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("FTS5 backend: SQLite only")


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL backend: PostgreSQL only")


def test_sqlite_uses_an_fts5_table_with_stemming(sqlite_only):
    assert isinstance(services.get_backend(), SQLiteFTS5Backend)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_searchdocument'")
        assert "USING fts5" in cursor.fetchone()[0]
    article = ArticleFactory(headline="Talks between the leaders", body="They talked.")
    hits = services.search(SearchQuery("talking")).hits
    assert [hit.article_id for hit in hits] == [article.pk]


def test_sqlite_ranks_with_bm25_headline_weight(sqlite_only):
    in_body = ArticleFactory(headline="Harbour news", body="Ferry ferry ferry ferry timetable.")
    in_headline = ArticleFactory(headline="Ferry timetable changes", body="Boats run later.")
    page = services.search(SearchQuery("ferry"))
    assert [hit.article_id for hit in page.hits] == [in_headline.pk, in_body.pk]
    assert page.hits[0].rank > page.hits[1].rank


def test_postgres_keeps_a_weighted_tsvector_in_a_generated_column(postgres_only):
    assert isinstance(services.get_backend(), PostgresBackend)
    article = ArticleFactory(headline="Ferry timetable", body="Boats.", tag_names=["Harbour"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT document::text FROM search_searchdocument WHERE article_id = %s", [article.pk]
        )
        document = cursor.fetchone()[0]
    assert "'ferri':1A" in document
    assert "'harbour':3B" in document
    assert "'boat':" in document and "C" in document.split("'boat':")[1]


def test_postgres_websearch_handles_phrases_and_exclusions(postgres_only):
    together = ArticleFactory(headline="Black Sea grain", body="Corridor reopens.")
    apart = ArticleFactory(headline="Black clouds over the sea", body="Grain silos safe.")
    assert [h.article_id for h in services.search(SearchQuery('"black sea"')).hits] == [together.pk]
    assert [h.article_id for h in services.search(SearchQuery("grain -corridor")).hits] == [
        apart.pk
    ]
