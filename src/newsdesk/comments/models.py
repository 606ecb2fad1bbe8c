"""Reader comments on articles, their earlier versions and readers' recommendations."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from newsdesk.articles.models import Article


def body_digest_of(body: str) -> str:
    """A short fingerprint of a comment's text: the duplicate checks look it up in an
    index instead of comparing every recent comment's body."""
    return hashlib.sha256(body.encode()).hexdigest()[:32]


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Comment.Status.PUBLISHED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        PENDING = "pending", "Pending review"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"
        DELETED = "deleted", "Deleted"

    # No index of its own (nor on status below): the composite indexes in Meta start with
    # them and serve every lookup, and each index more is work on every posted comment.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField(max_length=80, blank=True)
    guest_email = models.EmailField(blank=True)
    body = models.TextField(help_text="What the reader wrote (Markdown subset).")
    body_html = models.TextField(help_text="body rendered by comments.markup.render_comment.")
    body_digest = models.CharField(max_length=32, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # Why a comment was held or refused: a list of short reason codes with detail.
    moderation_reasons = models.JSONField(default=list, blank=True)
    spam_score = models.FloatField(null=True, blank=True)
    recommendation_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Kept for moderation only, never rendered on a public page.
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "status", "created_at"]),
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["body_digest", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(author__isnull=False) | ~Q(guest_name=""),
                name="comment_has_author_or_guest_name",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="comment_is_not_its_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.article_id}"

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.article.slug]) + f"#comment-{self.pk}"

    def save(self, *args, **kwargs):
        self.body_digest = body_digest_of(self.body)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_digest"}
        super().save(*args, **kwargs)

    @property
    def is_guest(self) -> bool:
        return self.author_id is None


class CommentRevision(models.Model):
    """A comment's text before an edit, kept for moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Revision of comment {self.comment_id} from {self.created_at:%Y-%m-%d %H:%M}"


class Recommendation(models.Model):
    """One reader recommends one comment, once."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="recommendations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"], name="one_recommendation_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} recommends comment {self.comment_id}"


class DiscussionSettings(models.Model):
    """Per-article discussion switches; an article without a row is open to everyone."""

    class Mode(models.TextChoices):
        OPEN = "open", "Accounts and guests (as the site allows)"
        ACCOUNTS_ONLY = "accounts", "Accounts only"
        PREMODERATED = "premoderated", "Every comment is held for review"

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="discussion_settings"
    )
    closed = models.BooleanField(default=False)
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.OPEN)

    class Meta:
        verbose_name_plural = "discussion settings"

    def __str__(self) -> str:
        return f"Discussion on {self.article_id} ({'closed' if self.closed else self.mode})"
