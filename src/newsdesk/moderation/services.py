"""Moderation as plain functions: decide on held comments, ban, report, trust levels.

Views, the management commands and tasks call these. Every action changes the comment's
status through ``comments.services.set_status`` (which recounts the article's comments) and
writes one ModerationAction in the same transaction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from newsdesk.comments import services as comments
from newsdesk.comments.models import Comment
from newsdesk.comments.ratelimit import is_exempt
from newsdesk.moderation import spam
from newsdesk.moderation.models import Ban, ModerationAction, Report, TrainingExample
from newsdesk.site.pagecache import bump_content_version

ACTIONS = {
    "approve": Comment.Status.PUBLISHED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
    "ban": Comment.Status.REJECTED,
}
LABEL_FOR_ACTION = {"approve": TrainingExample.Label.HAM, "spam": TrainingExample.Label.SPAM}


def is_moderator(user) -> bool:
    return is_exempt(user)


# --- trust ----------------------------------------------------------------------------


@dataclass(frozen=True)
class History:
    approved: int = 0
    rejected: int = 0
    spam: int = 0
    pending: int = 0
    banned: bool = False

    @property
    def trust(self) -> str:
        if self.banned:
            return "banned"
        if self.approved >= settings.MODERATION_TRUSTED_AFTER:
            return "2 trusted"
        return "1 has approved comments" if self.approved else "0 new"


def approved_count(user) -> int:
    return Comment.objects.filter(author=user, status=Comment.Status.PUBLISHED).count()


def _history_key(comment: Comment) -> tuple[str, str]:
    if comment.author_id:
        return ("user", str(comment.author_id))
    return ("email", comment.guest_email.lower())


def histories(comments_on_page) -> dict[tuple[str, str], History]:
    """Each author's record (accounts by id, guests by e-mail) in two grouped queries."""
    user_ids = {c.author_id for c in comments_on_page if c.author_id}
    emails = {c.guest_email for c in comments_on_page if not c.author_id and c.guest_email}
    counts: dict[tuple[str, str], Counter] = {}
    if user_ids:
        rows = (
            Comment.objects.filter(author_id__in=user_ids)
            .values_list("author_id", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for author_id, status, n in rows:
            counts.setdefault(("user", str(author_id)), Counter())[status] += n
    if emails:
        rows = (
            Comment.objects.filter(author__isnull=True, guest_email__in=emails)
            .values_list("guest_email", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for email, status, n in rows:
            counts.setdefault(("email", email.lower()), Counter())[status] += n
    banned = {
        (kind, value)
        for kind, value in Ban.objects.active()
        .filter(value__in=[str(u) for u in user_ids] + [e.lower() for e in emails])
        .values_list("kind", "value")
    }
    result = {}
    for comment in comments_on_page:
        key = _history_key(comment)
        c = counts.get(key, Counter())
        result[key] = History(
            c[Comment.Status.PUBLISHED],
            c[Comment.Status.REJECTED],
            c[Comment.Status.SPAM],
            c[Comment.Status.PENDING],
            key in banned,
        )
    return result


# --- decisions ------------------------------------------------------------------------


def _audit(who, action: str, comment, before: str, after: str, detail: str = ""):
    return ModerationAction.objects.create(
        who=who if who is not None and who.is_authenticated else None,
        action=action,
        comment=comment,
        state_before=before,
        state_after=after,
        detail=detail,
    )


def moderate(comment: Comment, action: str, *, by, detail: str = "") -> ModerationAction:
    """Approve, reject, mark as spam, or reject and ban the author; one audit row."""
    if action not in ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")
    with transaction.atomic():
        before = comment.status
        comments.set_status(comment, ACTIONS[action])
        Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
            resolved_at=timezone.now()
        )
        label = LABEL_FOR_ACTION.get(action)
        if label:
            spam.add_example(comment.body, label, TrainingExample.Origin.DECISION, comment)
        if action == "ban":
            ban = ban_author(comment, by=by, reason=detail or f"comment {comment.pk}")
            detail = detail or f"banned {ban.kind} {ban.value}"
        entry = _audit(by, action, comment, before, comment.status, detail)
        bump_content_version()
    return entry


def moderate_many(comment_ids, action: str, *, by) -> int:
    done = 0
    for comment in Comment.objects.filter(pk__in=list(comment_ids)).select_related("author"):
        moderate(comment, action, by=by, detail="bulk")
        done += 1
    return done


def ban_author(comment: Comment, *, by=None, reason: str = "", shadow: bool = False) -> Ban:
    if comment.author_id:
        kind, value = Ban.Kind.USER, str(comment.author_id)
    else:
        kind, value = Ban.Kind.EMAIL, comment.guest_email.lower()
    return add_ban(kind, value, by=by, reason=reason, shadow=shadow)


def add_ban(kind: str, value: str, *, by=None, reason: str = "", shadow: bool = False, until=None):
    value = value.strip().lower() if kind == Ban.Kind.EMAIL else value.strip()
    with transaction.atomic():
        ban = Ban.objects.create(
            kind=kind,
            value=value,
            reason=reason[:200],
            shadow=shadow,
            until=until,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        _audit(by, "shadow-ban" if shadow else "ban", None, "", "", f"{kind} {value} {reason}")
    return ban


def lift_ban(ban: Ban, *, by) -> None:
    with transaction.atomic():
        _audit(by, "unban", None, "", "", f"{ban.kind} {ban.value}")
        ban.delete()


# --- reports --------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportResult:
    created: bool
    hidden: bool
    open_reports: int


def report_comment(comment: Comment, reporter, reason: str, text: str = "") -> ReportResult:
    """One reader's report; at the threshold of distinct readers the comment is hidden."""
    if reason not in Report.Reason.values:
        raise ValueError(f"unknown report reason {reason!r}")
    with transaction.atomic():
        try:
            with transaction.atomic():
                Report.objects.create(
                    comment=comment, reporter=reporter, reason=reason, text=text[:1000]
                )
            created = True
        except IntegrityError:
            created = False
        open_reports = Report.objects.filter(comment=comment, resolved_at__isnull=True).count()
        hide = (
            comment.status == Comment.Status.PUBLISHED
            and open_reports >= settings.MODERATION_REPORTS_TO_HIDE
        )
        if hide:
            reason_text = f"hidden pending review: {open_reports} reports"
            comments.set_status(
                comment, Comment.Status.PENDING, [*comment.moderation_reasons, reason_text]
            )
            _audit(
                None, "auto-hide", comment, Comment.Status.PUBLISHED, comment.status, reason_text
            )
            bump_content_version()
    return ReportResult(created, hide, open_reports)
