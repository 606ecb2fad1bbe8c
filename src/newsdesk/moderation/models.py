"""Moderation: readers' reports, bans, banned phrases, the spam filter's state and the audit log.

Per-article moderation modes reuse the comments app's ``DiscussionSettings`` (its ``closed``
flag and ``premoderated`` mode); the site-wide mode is the setting ``MODERATION_MODE``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from newsdesk.comments.models import Comment


class Report(models.Model):
    """One reader reports one comment, once; open until a moderator decides on the comment."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam"
        ABUSE = "abuse", "Abuse"
        OFF_TOPIC = "off-topic", "Off-topic"
        OTHER = "other", "Other"

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_reports"
    )
    reason = models.CharField(max_length=10, choices=Reason.choices)
    text = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter"], name="one_report_per_reader_per_comment"
            ),
            models.CheckConstraint(
                condition=Q(reason__in=["spam", "abuse", "off-topic", "other"]),
                name="report_reason_is_known",
            ),
        ]
        indexes = [models.Index(fields=["resolved_at", "comment"])]

    def __str__(self) -> str:
        return f"Report by {self.reporter_id} on comment {self.comment_id} ({self.reason})"


class BannedPhrase(models.Model):
    class Match(models.TextChoices):
        WORD = "word", "Whole words (case-insensitive)"
        PATTERN = "pattern", "Regular expression (case-insensitive)"

    text = models.CharField(max_length=200)
    match = models.CharField(max_length=8, choices=Match.choices, default=Match.WORD)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["text", "match"], name="banned_phrase_is_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="banned_phrase_not_empty"),
        ]
        ordering = ["text"]

    def __str__(self) -> str:
        return f"{self.text} ({self.match})"


class BanQuerySet(models.QuerySet):
    def active(self, now=None):
        now = now or timezone.now()
        return self.filter(Q(until__isnull=True) | Q(until__gt=now))


class Ban(models.Model):
    """A banned IP address, e-mail address or account (``value`` is the user id)."""

    class Kind(models.TextChoices):
        IP = "ip", "IP address"
        EMAIL = "email", "E-mail address"
        USER = "user", "Account"

    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=254, help_text="IP, lower-cased e-mail, or user id.")
    reason = models.CharField(max_length=200, blank=True)
    # Only for accounts: the author still sees their comments, nobody else does.
    shadow = models.BooleanField(default=False)
    until = models.DateTimeField(null=True, blank=True, help_text="Empty: for ever.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["kind", "value"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["ip", "email", "user"]), name="ban_kind_is_known"
            ),
            models.CheckConstraint(
                condition=Q(shadow=False) | Q(kind="user"), name="only_accounts_are_shadow_banned"
            ),
        ]

    def __str__(self) -> str:
        return f"{'shadow-' if self.shadow else ''}ban {self.kind} {self.value}"


class ClassifierState(models.Model):
    """The spam filter's model as SpamClassifier JSON: one row (pk=1)."""

    model_json = models.TextField()
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="one_classifier_state")]

    def __str__(self) -> str:
        return f"Spam filter v{self.version}"


class TrainingExample(models.Model):
    class Label(models.TextChoices):
        SPAM = "spam", "Spam"
        HAM = "ham", "Not spam"

    class Origin(models.TextChoices):
        DECISION = "decision", "Moderator decision"
        IMPORT = "import", "Imported labels"

    text = models.TextField()
    label = models.CharField(max_length=4, choices=Label.choices)
    origin = models.CharField(max_length=10, choices=Origin.choices)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set once the example's counts are in ClassifierState, so a retrain is incremental
    # and running it twice trains nothing twice.
    trained = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["trained", "id"])]
        constraints = [
            models.CheckConstraint(condition=Q(label__in=["spam", "ham"]), name="label_is_known")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.text[:40]}"


class ModerationAction(models.Model):
    """Append-only audit log: one row per moderation action, written in its transaction."""

    who = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_actions",
        help_text="Empty: the system (reports threshold, filter).",
    )
    when = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=20)
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    state_before = models.CharField(max_length=10, blank=True)
    state_after = models.CharField(max_length=10, blank=True)
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-when", "-id"]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.action} {self.comment_id}"


class RulesVersion(models.Model):
    """One row whose token changes with every saved or deleted Ban or BannedPhrase.

    Each process keeps the bans and phrases in memory (moderation.rules) and re-reads them
    only when this token differs; a random token rather than a counter, so a rolled-back
    change can never make an old in-memory copy look current.
    """

    token = models.CharField(max_length=32, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="one_rules_version")]

    def __str__(self) -> str:
        return self.token
