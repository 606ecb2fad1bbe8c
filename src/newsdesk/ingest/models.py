"""What ingestion remembers: per-source settings, feeds and their health, fingerprints
for deduplication, story groups, the import journal and imported comments."""

from django.db import models
from django.db.models import Q

from newsdesk.articles.models import Article, Source


class SourceSettings(models.Model):
    """How stories from one source arrive; a source without a row uses the site default."""

    class DefaultStatus(models.TextChoices):
        DRAFT = "draft", "Draft (an editor publishes)"
        PUBLISHED = "published", "Published at once"

    source = models.OneToOneField(Source, on_delete=models.CASCADE, related_name="ingest_settings")
    default_status = models.CharField(
        max_length=10, choices=DefaultStatus.choices, default=DefaultStatus.PUBLISHED
    )

    class Meta:
        verbose_name_plural = "source settings"

    def __str__(self) -> str:
        return f"{self.source}: {self.default_status}"


class Feed(models.Model):
    """An RSS/Atom/JSON feed polled in the background, with its health."""

    url = models.URLField(max_length=1000, unique=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="feeds"
    )
    every_minutes = models.PositiveIntegerField(default=30)
    active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    error_count = models.PositiveIntegerField(default=0, help_text="Failures in a row.")
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    items_taken = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        constraints = [
            models.CheckConstraint(
                condition=Q(every_minutes__gte=1), name="feed_polled_at_least_every_minute"
            ),
        ]

    def __str__(self) -> str:
        return self.url


class FeedErrorLog(models.Model):
    """One failed poll (or failed entry) of a feed, kept for the admin."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="errors")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    message = models.TextField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.feed_id} at {self.at:%Y-%m-%d %H:%M}: {self.message[:60]}"


class FeedItem(models.Model):
    """An entry already taken from a feed, so the next poll skips it without fetching."""

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=1000)
    article = models.ForeignKey(Article, null=True, blank=True, on_delete=models.SET_NULL)
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["feed", "guid"], name="one_item_per_feed_guid")
        ]

    def __str__(self) -> str:
        return self.guid


class StoryGroup(models.Model):
    """Articles that are versions of one story (wire copy republished by several outlets)."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Story group {self.pk}"


class ArticleFingerprint(models.Model):
    """The simhash of an article's body, for near-duplicate lookup, and its story group."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="fingerprint_record"
    )
    simhash = models.BigIntegerField(db_index=True)  # signed int64 (dedupe.simhash_signed)
    canonical_url = models.URLField(max_length=1000, blank=True, db_index=True)
    group = models.ForeignKey(
        StoryGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )

    def __str__(self) -> str:
        return f"{self.article_id}: {self.simhash:#x}"


class ImportedFile(models.Model):
    """The import journal: file content already imported, so a re-run skips it at once.

    Written in the same transaction as the article, so after a kill -9 the journal and
    the articles agree; deleting the article deletes the entry and allows a re-import.
    """

    content_sha256 = models.CharField(max_length=64, unique=True)
    path = models.CharField(max_length=2000)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.path


class ImportedComment(models.Model):
    """Where an imported comment came from (WordPress or Disqus id), for idempotency."""

    origin_key = models.CharField(max_length=300, unique=True)
    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, related_name="import_origin"
    )

    def __str__(self) -> str:
        return self.origin_key


class TrainingExample(models.Model):
    """Labelled text for the spam filter, e.g. comments a previous system marked as spam."""

    class Label(models.TextChoices):
        SPAM = "spam", "Spam"
        HAM = "ham", "Not spam"

    text = models.TextField()
    label = models.CharField(max_length=4, choices=Label.choices)
    origin = models.CharField(max_length=40, help_text="wordpress, disqus, ...")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.label} from {self.origin}"
