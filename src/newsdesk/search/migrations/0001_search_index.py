"""The search index: an FTS5 table on SQLite, a tsvector table + GIN index on PostgreSQL.

The model state is declared for the ORM (and Django's flush); the table itself is made
here by hand, per database vendor.
"""

import django.db.models.deletion
from django.db import migrations, models

# Written out here, not imported from the backends, so this migration keeps making the
# same tables whatever the backends become: a schema change needs a new migration.
SQLITE_SQL = [
    "CREATE VIRTUAL TABLE search_searchdocument USING fts5("
    "article_id UNINDEXED, headline, body, tags, source, "
    "tokenize = 'porter unicode61 remove_diacritics 2')",
    "CREATE TABLE search_searchfilter ("
    "article_id integer NOT NULL PRIMARY KEY, published_at datetime NOT NULL, source_id bigint NULL)",
]

POSTGRESQL_SQL = [
    """CREATE TABLE search_searchdocument (
        article_id bigint PRIMARY KEY
            REFERENCES articles_article (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        headline text NOT NULL,
        body text NOT NULL,
        tags text NOT NULL,
        source text NOT NULL,
        document tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english'::regconfig, headline), 'A')
            || setweight(to_tsvector('english'::regconfig, tags || ' ' || source), 'B')
            || setweight(to_tsvector('english'::regconfig, body), 'C')
        ) STORED
    )""",
    "CREATE INDEX search_document_gin ON search_searchdocument USING gin (document)",
]


def create_index_table(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"newsdesk search supports SQLite and PostgreSQL, not {vendor}")
    for statement in SQLITE_SQL if vendor == "sqlite" else POSTGRESQL_SQL:
        schema_editor.execute(statement)


def drop_index_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS search_searchdocument")
    schema_editor.execute("DROP TABLE IF EXISTS search_searchfilter")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        (
                            "article",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                serialize=False,
                                to="articles.article",
                            ),
                        ),
                        ("headline", models.TextField()),
                        ("body", models.TextField()),
                        ("tags", models.TextField()),
                        ("source", models.TextField()),
                    ],
                ),
                migrations.CreateModel(
                    name="SearchFilter",
                    fields=[
                        (
                            "article",
                            models.OneToOneField(
                                db_constraint=False,
                                on_delete=django.db.models.deletion.DO_NOTHING,
                                primary_key=True,
                                serialize=False,
                                to="articles.article",
                            ),
                        ),
                        ("published_at", models.DateTimeField()),
                        ("source_id", models.BigIntegerField(null=True)),
                    ],
                ),
            ],
            database_operations=[
                migrations.RunPython(create_index_table, drop_index_table),
            ],
        ),
    ]
