"""Privacy: what is kept about commenters for moderation, and for how long."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from newsdesk.comments.models import Comment


def purge_old_ip_addresses(days: int | None = None, now=None) -> int:
    """Forget IP addresses and user agents of comments older than ``days``; 0 keeps them.

    Returns the number of comments changed. Moderators need the address only while a
    comment is fresh (bans, floods); after that it is personal data with no purpose.
    """
    days = settings.COMMENTS_IP_RETENTION_DAYS if days is None else days
    if days <= 0:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    stale = Comment.objects.filter(created_at__lt=cutoff).exclude(
        ip_address__isnull=True, user_agent=""
    )
    return stale.update(ip_address=None, user_agent="")
