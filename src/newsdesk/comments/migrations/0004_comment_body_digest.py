import hashlib
import importlib

from django.conf import settings
from django.db import migrations, models

# SQLite adds this column by rebuilding the table, which drops its triggers: put the
# "reply on the same article" triggers of 0003 back. (Any later migration that rebuilds
# comments_comment on SQLite must do the same.)
_triggers = importlib.import_module(
    "newsdesk.comments.migrations.0003_comment_parent_on_same_article"
)


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in _triggers.SQLITE_DROP + _triggers.SQLITE_CREATE:
        schema_editor.execute(statement)


def fill_digests(apps, schema_editor):
    # The same function as models.body_digest_of, copied: migrations must not import models.
    Comment = apps.get_model("comments", "Comment")
    batch = []
    for comment in Comment.objects.only("id", "body").iterator(chunk_size=2000):
        comment.body_digest = hashlib.sha256(comment.body.encode()).hexdigest()[:32]
        batch.append(comment)
        if len(batch) == 2000:
            Comment.objects.bulk_update(batch, ["body_digest"])
            batch = []
    Comment.objects.bulk_update(batch, ["body_digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("comments", "0003_comment_parent_on_same_article"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="body_digest",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.RunPython(fill_digests, migrations.RunPython.noop),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="comment",
            index=models.Index(
                fields=["body_digest", "created_at"], name="comments_co_body_di_79ee5d_idx"
            ),
        ),
    ]
