"""Two single-column indexes fewer on comments: the composite ones cover their lookups.

Altering the foreign key makes SQLite rebuild the table, which drops its triggers, so
the reply-on-the-same-article triggers of 0003 are made again there.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

TRIGGERS = importlib.import_module(
    "newsdesk.comments.migrations.0003_comment_parent_on_same_article"
)


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in TRIGGERS.SQLITE_DROP + TRIGGERS.SQLITE_CREATE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("comments", "0004_comment_body_digest"),
    ]

    operations = [
        migrations.AlterField(
            model_name="comment",
            name="article",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="comments",
                to="articles.article",
            ),
        ),
        migrations.AlterField(
            model_name="comment",
            name="status",
            field=models.CharField(
                choices=[
                    ("published", "Published"),
                    ("pending", "Pending review"),
                    ("rejected", "Rejected"),
                    ("spam", "Spam"),
                    ("deleted", "Deleted"),
                ],
                default="published",
                max_length=10,
            ),
        ),
        migrations.RunPython(recreate_sqlite_triggers, recreate_sqlite_triggers),
    ]
