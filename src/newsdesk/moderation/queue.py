"""The moderation queue: what needs a decision, one page at a time, in a fixed number of
indexed queries whatever the length of the queue."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from newsdesk.comments.models import Comment
from newsdesk.moderation.models import ModerationAction, Report
from newsdesk.moderation.services import History, _history_key, histories

TABS = {"held": "Held for review", "reported": "Reported", "spam": "Suspected spam"}
SORTS = {"newest": "Newest first", "reports": "Most reported first"}
ROW_FIELDS = (
    "id", "status", "body_html", "created_at", "spam_score", "moderation_reasons",
    "ip_address", "guest_name", "guest_email", "author_id", "article_id",
    "author__username", "author__email", "article__headline", "article__slug",
)  # fmt: skip


@dataclass
class Row:
    comment: Comment
    history: History
    reports: int = 0
    report_reasons: list[str] = field(default_factory=list)

    @property
    def author_name(self) -> str:
        c = self.comment
        return c.author.username if c.author_id else f"{c.guest_name} (guest)"


def _base(tab: str):
    comments = Comment.objects.all()
    if tab == "reported":
        open_reports = Report.objects.filter(resolved_at__isnull=True).values("comment_id")
        return comments.filter(pk__in=open_reports)
    if tab == "spam":
        reviewed = ModerationAction.objects.filter(comment__isnull=False).values("comment_id")
        return comments.filter(status=Comment.Status.SPAM).exclude(pk__in=reviewed)
    return comments.filter(status=Comment.Status.PENDING)


def queue_queryset(tab: str, sort: str):
    comments = _base(tab)
    if sort == "reports":
        open_reports = Count("reports", filter=Q(reports__resolved_at__isnull=True))
        return comments.annotate(open_reports=open_reports).order_by(
            "-open_reports", "-created_at", "-id"
        )
    return comments.order_by("-created_at", "-id")


def queue_page(tab: str = "held", sort: str = "newest", number=1) -> tuple[Page, list[Row]]:
    tab = tab if tab in TABS else "held"
    sort = sort if sort in SORTS else "newest"
    ids_query = queue_queryset(tab, sort).values_list("id", flat=True)
    page = Paginator(ids_query, settings.MODERATION_QUEUE_PER_PAGE).get_page(number)
    ids = list(page.object_list)
    by_id = {
        c.pk: c
        for c in Comment.objects.filter(pk__in=ids)
        .select_related("author", "article")
        .only(*ROW_FIELDS)
    }
    comments = [by_id[i] for i in ids if i in by_id]
    counts, reasons = defaultdict(int), defaultdict(list)
    for comment_id, reason in Report.objects.filter(
        comment_id__in=ids, resolved_at__isnull=True
    ).values_list("comment_id", "reason"):
        counts[comment_id] += 1
        reasons[comment_id].append(reason)
    records = histories(comments)
    rows = [
        Row(c, records[_history_key(c)], counts[c.pk], _reason_labels(reasons[c.pk]))
        for c in comments
    ]
    return page, rows


def _reason_labels(codes: list[str]) -> list[str]:
    """What readers chose in the report form ("Off-topic"), each once, not the stored codes."""
    return sorted({Report.Reason(code).label for code in codes})


def waiting_counts() -> dict[str, int]:
    return {tab: _base(tab).count() for tab in TABS}
