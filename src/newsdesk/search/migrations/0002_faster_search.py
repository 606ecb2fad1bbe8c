"""Faster searches at 100,000 articles.

SQLite: an index on the filter table's published_at, so that an unfiltered search finds
the few scheduled (indexed, not yet published) matches without reading every row.
PostgreSQL: each document's published_at and source_id, so that filters need not join
articles_article (a hash join read the whole article table); and a small tsvector of
headline, tags and source, stored inline (the full document is TOASTed), so that a cheap
first ranking pass picks the candidates that ts_rank_cd on the whole document then orders.
"""

from django.db import migrations

POSTGRESQL_ADD = [
    "ALTER TABLE search_searchdocument ADD COLUMN title_document tsvector GENERATED ALWAYS AS ("
    " setweight(to_tsvector('english'::regconfig, headline), 'A')"
    " || setweight(to_tsvector('english'::regconfig, tags || ' ' || source), 'B')) STORED",
    "ALTER TABLE search_searchdocument ADD COLUMN published_at timestamp with time zone NULL,"
    " ADD COLUMN source_id bigint NULL",
    # Long values (body, document) go out of line: the rows left are ~150 bytes, so the
    # heap pages a search visits for its matches stay in memory. The UPDATE below writes
    # every row again, stored that way.
    # title_document stays inline (MAIN): the first ranking pass reads it for every match.
    "ALTER TABLE search_searchdocument SET (toast_tuple_target = 128),"
    " ALTER COLUMN title_document SET STORAGE MAIN",
    "UPDATE search_searchdocument d SET published_at = a.published_at, source_id = a.source_id"
    " FROM articles_article a WHERE a.id = d.article_id",
]


def apply(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRESQL_ADD:
            schema_editor.execute(statement)
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "CREATE INDEX search_searchfilter_published_at ON search_searchfilter (published_at)"
        )


def revert(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchdocument RESET (toast_tuple_target),"
            " DROP COLUMN title_document,"
            " DROP COLUMN published_at, DROP COLUMN source_id"
        )
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP INDEX IF EXISTS search_searchfilter_published_at")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_index")]

    operations = [migrations.RunPython(apply, revert)]
