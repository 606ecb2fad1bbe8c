"""Search on SQLite: an FTS5 table ranked with bm25(), rowid = article id.

Beside it, search_searchfilter holds each indexed article's date and source in narrow
rows: filtering thousands of matches through articles_article itself would read each
article's body pages (its status column sits after the body), which was the main cost.
"""

from django.db import connection
from django.utils import timezone

from newsdesk.search.backends.base import SearchHit, SearchPage, filter_sql
from newsdesk.search.documents import Document
from newsdesk.search.query import SearchQuery, fts5_expression, parse_user_query
from newsdesk.search.snippets import MARK_END, MARK_START, marked_to_html

# bm25 column weights, in column order (article_id, headline, body, tags, source):
# a word in the headline counts ten times a word in the body.
BM25_WEIGHTS = "0.0, 10.0, 1.0, 4.0, 2.0"
SNIPPET_TOKENS = 32

# Both tables are made by migrations/0001_search_index.py.


class SQLiteFTS5Backend:
    def index(self, document: Document) -> None:
        self.index_many([document])

    def index_many(self, documents: list[Document]) -> None:
        if not documents:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM search_searchdocument WHERE rowid = %s",
                [(d.article_id,) for d in documents],
            )
            cursor.executemany(
                "INSERT OR REPLACE INTO search_searchfilter (article_id, published_at, source_id)"
                " VALUES (%s, %s, %s)",
                [
                    (
                        d.article_id,
                        connection.ops.adapt_datetimefield_value(d.published_at),
                        d.source_id,
                    )
                    for d in documents
                ],
            )
            cursor.executemany(
                "INSERT INTO search_searchdocument (rowid, article_id, headline, body, tags, source)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (d.article_id, d.article_id, d.headline, d.body, d.tags, d.source)
                    for d in documents
                ],
            )

    def remove(self, article_id: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchdocument WHERE rowid = %s", [article_id])
            cursor.execute("DELETE FROM search_searchfilter WHERE article_id = %s", [article_id])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_searchdocument")
            cursor.execute("DELETE FROM search_searchfilter")

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_searchdocument (search_searchdocument) VALUES ('optimize')"
            )

    def search(self, query: SearchQuery) -> SearchPage:
        parsed = parse_user_query(query.text)
        page = SearchPage(query=query)
        if parsed.is_empty:
            return page
        match = fts5_expression(parsed)
        with connection.cursor() as cursor:
            if query.tag or query.source or query.date_from or query.date_to:
                ranked = self._filtered(cursor, query, match, page)
            else:
                ranked = self._unfiltered(cursor, query, match, page)
            highlighted = self._highlight(cursor, match, [rowid for rowid, _ in ranked])
        page.hits = [
            SearchHit(
                article_id=article_id,
                rank=-score,  # bm25() is lower-is-better
                headline_html=marked_to_html(highlighted.get(article_id, ("", ""))[0]),
                snippet_html=marked_to_html(highlighted.get(article_id, ("", ""))[1]),
            )
            for article_id, score in ranked
        ]
        return page

    @staticmethod
    def _unfiltered(cursor, query: SearchQuery, match: str, page: SearchPage) -> list:
        """No join at all: the few scheduled matches (indexed, not yet published) are
        found through the published_at index and taken out afterwards. Joining every
        match to its filter row cost more than ranking it."""
        cursor.execute(
            "SELECT a.article_id FROM search_searchfilter a WHERE a.published_at > %s"
            " AND EXISTS (SELECT 1 FROM search_searchdocument f"
            " WHERE search_searchdocument MATCH %s AND f.rowid = a.article_id)",
            [connection.ops.adapt_datetimefield_value(timezone.now()), match],
        )
        scheduled = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT count(*) FROM search_searchdocument WHERE search_searchdocument MATCH %s",
            [match],
        )
        page.total = cursor.fetchone()[0] - len(scheduled)
        offset = (query.page - 1) * query.per_page
        if page.total <= offset:
            return []
        cursor.execute(
            f"SELECT rowid, bm25(search_searchdocument, {BM25_WEIGHTS}) AS score"  # noqa: S608 (constants)
            " FROM search_searchdocument WHERE search_searchdocument MATCH %s"
            " ORDER BY score, rowid DESC LIMIT %s",
            [match, offset + query.per_page + len(scheduled)],
        )
        ranked = [row for row in cursor.fetchall() if row[0] not in scheduled]
        return ranked[offset : offset + query.per_page]

    @staticmethod
    def _filtered(cursor, query: SearchQuery, match: str, page: SearchPage) -> list:
        conditions, params = filter_sql(query, article_id="a.article_id", check_status=False)
        # CROSS JOIN keeps the FTS match as the outer loop (else SQLite may walk the
        # filter rows and run the MATCH once per row).
        base = (
            " FROM search_searchdocument f CROSS JOIN search_searchfilter a"  # noqa: S608 (conditions: constants and placeholders)
            f" ON a.article_id = f.rowid WHERE search_searchdocument MATCH %s AND {conditions}"
        )
        cursor.execute("SELECT count(*)" + base, [match, *params])
        page.total = cursor.fetchone()[0]
        if not page.total:
            return []
        cursor.execute(
            f"SELECT f.rowid, bm25(search_searchdocument, {BM25_WEIGHTS}) AS score"
            + base
            + " ORDER BY score, f.rowid DESC LIMIT %s OFFSET %s",
            [match, *params, query.per_page, (query.page - 1) * query.per_page],
        )
        return cursor.fetchall()

    @staticmethod
    def _highlight(cursor, match: str, rowids: list[int]) -> dict[int, tuple[str, str]]:
        """Headline and snippet with marked matches, for one page of hits only (they are
        the costly part: computed in the ranking query they would run for every match)."""
        if not rowids:
            return {}
        placeholders = ", ".join(["%s"] * len(rowids))
        cursor.execute(
            "SELECT rowid, highlight(search_searchdocument, 1, %s, %s),"  # noqa: S608
            f" snippet(search_searchdocument, 2, %s, %s, '…', {SNIPPET_TOKENS})"
            " FROM search_searchdocument WHERE search_searchdocument MATCH %s"
            f" AND rowid IN ({placeholders})",
            [MARK_START, MARK_END, MARK_START, MARK_END, match, *rowids],
        )
        return {rowid: (headline, snippet) for rowid, headline, snippet in cursor.fetchall()}
