"""The search index as the ORM sees it.

The real table is made per database by migration 0001: an FTS5 virtual table on SQLite,
a table with a generated tsvector column and a GIN index on PostgreSQL. Declaring it as a
model lets Django's flush (between transactional tests) empty it with the articles.
Write to it only through newsdesk.search.services.
"""

from django.db import models

from newsdesk.articles.models import Article


class SearchDocument(models.Model):
    # DO_NOTHING: PostgreSQL cascades by itself, SQLite's row goes in a post_delete
    # receiver (Django's own cascade would scan the FTS table's unindexed column).
    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    headline = models.TextField()
    body = models.TextField()
    tags = models.TextField()
    source = models.TextField()

    def __str__(self) -> str:
        return self.headline


class SearchFilter(models.Model):
    """SQLite only: an indexed article's date and source, in narrow rows for fast filters."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False
    )
    published_at = models.DateTimeField()
    source_id = models.BigIntegerField(null=True)

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.published_at}"
