"""The moderators' digest: an e-mail when comments have waited longer than they should."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from newsdesk.comments.models import Comment
from newsdesk.moderation.models import Report


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(
        Q(is_staff=True) | Q(groups__name="moderators"), is_active=True
    )
    return sorted({e for e in users.values_list("email", flat=True) if e})


def overdue(now=None) -> dict:
    cutoff = (now or timezone.now()) - timedelta(hours=settings.MODERATION_DIGEST_AFTER_HOURS)
    held = Comment.objects.filter(status=Comment.Status.PENDING, created_at__lt=cutoff)
    reported = (
        Report.objects.filter(resolved_at__isnull=True, created_at__lt=cutoff)
        .values("comment")
        .distinct()
    )
    oldest = held.order_by("created_at").values_list("created_at", flat=True).first()
    return {"held": held.count(), "reported": reported.count(), "oldest": oldest}


def send_digest(now=None) -> int:
    """Mail every moderator if anything is overdue; returns the number of recipients."""
    waiting = overdue(now)
    recipients = moderator_emails()
    if not (waiting["held"] or waiting["reported"]) or not recipients:
        return 0
    context = {
        **waiting,
        "hours": settings.MODERATION_DIGEST_AFTER_HOURS,
        "queue_url": settings.SITE_URL + "/moderation/",
    }
    send_mail(
        f"[{settings.SITE_NAME}] {waiting['held'] + waiting['reported']} comments await review",
        render_to_string("moderation/email/digest.txt", context),
        None,
        recipients,
    )
    return len(recipients)
