"""Search on PostgreSQL: a tsvector kept by a generated column, GIN index, ts_rank_cd
on a bounded set of candidates."""

from django.db import connection

from newsdesk.search.backends.base import SearchHit, SearchPage, filter_sql
from newsdesk.search.documents import Document
from newsdesk.search.query import SearchQuery, parse_user_query, websearch_text
from newsdesk.search.snippets import MARK_END, MARK_START, marked_to_html

CONFIG = "english"
# ts_rank_cd weights for {D, C, B, A}: A headline, B tags and source, C body.
RANK_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"
# How many matches the cheap first pass hands to ts_rank_cd (see search()).
CANDIDATES = 300

# The table (text columns + a generated, weighted tsvector column + GIN index) is made
# by migrations/0001_search_index.py; 0002 adds title_document, published_at, source_id.

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
                "INSERT INTO search_searchdocument"
                " (article_id, headline, body, tags, source, published_at, source_id)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET"
                " headline = EXCLUDED.headline, body = EXCLUDED.body,"
                " tags = EXCLUDED.tags, source = EXCLUDED.source,"
                " published_at = EXCLUDED.published_at, source_id = EXCLUDED.source_id",
                [
                    (
                        d.article_id,
                        d.headline,
                        d.body,
                        d.tags,
                        d.source,
                        d.published_at,
                        d.source_id,
                    )
                    for d in documents
                ],
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
        # Only published articles are indexed, and each row carries its own date and
        # source: the filters read the index rows alone (services.search checks the
        # status again on the page's articles).
        conditions, params = filter_sql(query, article_id="a.article_id", check_status=False)
        tsquery = [websearch_text(parsed)]
        matches = (
            " FROM search_searchdocument a,"  # noqa: S608 (constants and placeholders)
            f" websearch_to_tsquery('{CONFIG}', %s) q WHERE a.document @@ q AND {conditions}"
        )
        offset = (query.page - 1) * query.per_page
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*)" + matches, tsquery + params)
            page.total = cursor.fetchone()[0]
            if page.total <= offset:
                return page
            # Two passes. ts_rank_cd has to read each whole document (TOASTed: most of
            # the cost, ~20 ms per 1,000 matches), so a cheap pass on the small inline
            # title_document (headline, tags, source) first keeps the best CANDIDATES
            # matches; only those get ts_rank_cd. A story with the words in its headline
            # is always a candidate before one with them in the body only; of the
            # body-only matches, the newest (highest ids) are the candidates.
            # ts_headline (slow too) runs on the page only. Only constants and %s
            # placeholders are joined into this SQL.
            cursor.execute(
                "SELECT p.article_id, p.score,"  # noqa: S608
                f" ts_headline('{CONFIG}', d.headline, p.q, %s),"
                f" ts_headline('{CONFIG}', d.body, p.q, %s)"
                " FROM (SELECT c.article_id, c.q, c.published_at,"
                f" ts_rank_cd('{RANK_WEIGHTS}', d.document, c.q) AS score"
                " FROM (SELECT a.article_id, q, a.published_at"
                + matches
                + f" ORDER BY ts_rank('{RANK_WEIGHTS}', a.title_document, q) DESC,"
                " a.article_id DESC LIMIT %s) c"
                " JOIN search_searchdocument d ON d.article_id = c.article_id"
                " ORDER BY score DESC, c.published_at DESC, c.article_id DESC LIMIT %s OFFSET %s) p"
                " JOIN search_searchdocument d ON d.article_id = p.article_id"
                " ORDER BY p.score DESC, p.published_at DESC, p.article_id DESC",
                [
                    HEADLINE_OPTIONS,
                    SNIPPET_OPTIONS,
                    *tsquery,
                    *params,
                    max(CANDIDATES, offset + query.per_page),
                    query.per_page,
                    offset,
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
