"""Search on PostgreSQL: a tsvector kept by a generated column, GIN index, ts_rank_cd."""

from django.db import connection

from newsdesk.search.backends.base import SearchHit, SearchPage, filter_sql
from newsdesk.search.documents import Document
from newsdesk.search.query import SearchQuery, parse_user_query, websearch_text
from newsdesk.search.snippets import MARK_END, MARK_START, marked_to_html

CONFIG = "english"
# ts_rank_cd weights for {D, C, B, A}: A headline, B tags and source, C body.
RANK_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"

# The table (text columns + a generated, weighted tsvector column + GIN index) is made
# by migrations/0001_search_index.py.

HEADLINE_OPTIONS = f"StartSel={MARK_START}, StopSel={MARK_END}, HighlightAll=true"
SNIPPET_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=35, MinWords=15,"
    ' MaxFragments=2, FragmentDelimiter=" … "'
)


class PostgresBackend:
    def index(self, document: Document) -> None:
        self.index_many([document])

    def index_many(self, documents: list[Document]) -> None:
        if not documents:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO search_searchdocument (article_id, headline, body, tags, source)"
                " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET"
                " headline = EXCLUDED.headline, body = EXCLUDED.body,"
                " tags = EXCLUDED.tags, source = EXCLUDED.source",
                [(d.article_id, d.headline, d.body, d.tags, d.source) for d in documents],
            )

    def remove(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchdocument WHERE article_id = %s", [article_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchdocument")

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchdocument")

    def search(self, query: SearchQuery) -> SearchPage:
        parsed = parse_user_query(query.text)
        page = SearchPage(query=query)
        if parsed.is_empty:
            return page
        conditions, params = filter_sql(query)
        tsquery = [websearch_text(parsed)]
        # The text match runs first, fenced by OFFSET 0, then the article filters: the
        # GIN index bounds the work by the number of matches, whatever the planner's
        # statistics say about articles (a bulk load left unanalysed made it walk them all).
        matches = (
            " FROM (SELECT d.article_id, d.document, q FROM search_searchdocument d,"  # noqa: S608
            f" websearch_to_tsquery('{CONFIG}', %s) q WHERE d.document @@ q OFFSET 0) m"
            f" JOIN articles_article a ON a.id = m.article_id WHERE {conditions}"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*)" + matches, tsquery + params)
            page.total = cursor.fetchone()[0]
            if not page.total:
                return page
            # Rank and cut the page first; ts_headline (slow) runs on that page only.
            # Only constants and %s placeholders are joined into this SQL.
            cursor.execute(
                "SELECT p.article_id, p.score,"  # noqa: S608
                f" ts_headline('{CONFIG}', d.headline, p.q, %s),"
                f" ts_headline('{CONFIG}', d.body, p.q, %s)"
                " FROM (SELECT m.article_id, m.q,"
                f" ts_rank_cd('{RANK_WEIGHTS}', m.document, m.q) AS score, a.published_at"
                + matches
                + " ORDER BY score DESC, a.published_at DESC, a.id DESC LIMIT %s OFFSET %s) p"
                " JOIN search_searchdocument d ON d.article_id = p.article_id"
                " ORDER BY p.score DESC, p.published_at DESC, p.article_id DESC",
                [
                    HEADLINE_OPTIONS,
                    SNIPPET_OPTIONS,
                    *tsquery,
                    *params,
                    query.per_page,
                    (query.page - 1) * query.per_page,
                ],
            )
            rows = cursor.fetchall()
        page.hits = [
            SearchHit(
                article_id=article_id,
                rank=float(score),
                headline_html=marked_to_html(headline),
                snippet_html=marked_to_html(snippet),
            )
            for article_id, score, headline, snippet in rows
        ]
        return page
