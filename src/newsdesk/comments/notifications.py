"""Reply notifications: the e-mail and its one-click unsubscribe token."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from newsdesk.comments.models import Comment

UNSUBSCRIBE_SALT = "newsdesk.comments.unsubscribe"


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps({"user": user_id, "list": "replies"}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_from_token(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return data.get("user") if data.get("list") == "replies" else None


def unsubscribe_url(user_id: int) -> str:
    return settings.SITE_URL + reverse("comments:unsubscribe", args=[unsubscribe_token(user_id)])


def send_reply_email(reply: Comment) -> bool:
    """Mail the parent's author about ``reply`` if they still want it; True if sent."""
    from newsdesk.comments.thread import display_name

    parent = reply.parent
    if (
        parent is None
        or reply.status != Comment.Status.PUBLISHED
        or parent.author_id is None
        or parent.author_id == reply.author_id
    ):
        return False
    recipient = parent.author
    profile = getattr(recipient, "profile", None)
    if profile is None or not profile.notify_replies or not recipient.email:
        return False
    link = unsubscribe_url(recipient.pk)
    context = {
        "reply": reply,
        "replier": display_name(reply),
        "article": reply.article,
        "reply_url": settings.SITE_URL + reverse("comments:permalink", args=[reply.pk]),
        "unsubscribe_url": link,
        "site_name": settings.SITE_NAME,
    }
    message = EmailMessage(
        subject=f"{context['replier']} replied to your comment on “{reply.article.headline}”"[:200],
        body=render_to_string("comments/email/reply_notification.txt", context),
        to=[recipient.email],
        # RFC 8058: mail clients may offer a one-click unsubscribe that POSTs to the link.
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()
    return True
