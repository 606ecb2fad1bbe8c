"""A reply belongs to its parent's article: enforced by a trigger, whoever writes the row.

A CHECK constraint cannot look at another row, so SQLite and PostgreSQL each get a trigger.
"""

from django.db import migrations

SQLITE_CREATE = [
    """
    CREATE TRIGGER comments_parent_same_article_insert
    BEFORE INSERT ON comments_comment
    FOR EACH ROW WHEN NEW.parent_id IS NOT NULL AND
        (SELECT article_id FROM comments_comment WHERE id = NEW.parent_id) IS NOT NEW.article_id
    BEGIN SELECT RAISE(ABORT, 'comment_parent_on_same_article'); END;
    """,
    """
    CREATE TRIGGER comments_parent_same_article_update
    BEFORE UPDATE OF parent_id, article_id ON comments_comment
    FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL AND
        (SELECT article_id FROM comments_comment WHERE id = NEW.parent_id) IS NOT NEW.article_id)
        OR EXISTS (SELECT 1 FROM comments_comment
                   WHERE parent_id = NEW.id AND article_id IS NOT NEW.article_id)
    BEGIN SELECT RAISE(ABORT, 'comment_parent_on_same_article'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS comments_parent_same_article_insert",
    "DROP TRIGGER IF EXISTS comments_parent_same_article_update",
]

POSTGRES_CREATE = [
    """
    CREATE OR REPLACE FUNCTION comments_parent_same_article() RETURNS trigger AS $$
    BEGIN
        IF NEW.parent_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM comments_comment
            WHERE id = NEW.parent_id AND article_id = NEW.article_id
        ) THEN
            RAISE EXCEPTION 'comment_parent_on_same_article' USING ERRCODE = '23514';
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.article_id <> OLD.article_id AND EXISTS (
            SELECT 1 FROM comments_comment
            WHERE parent_id = NEW.id AND article_id <> NEW.article_id
        ) THEN
            RAISE EXCEPTION 'comment_parent_on_same_article' USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER comments_parent_same_article
    BEFORE INSERT OR UPDATE OF parent_id, article_id ON comments_comment
    FOR EACH ROW EXECUTE FUNCTION comments_parent_same_article();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS comments_parent_same_article ON comments_comment",
    "DROP FUNCTION IF EXISTS comments_parent_same_article()",
]


def _run(schema_editor, statements_by_vendor):
    statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_discussionsettings"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
    ]
