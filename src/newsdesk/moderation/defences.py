"""The automatic defences, one small function each: every one returns the reason a comment
should be held (a short human-readable string), or "" when it has nothing against it."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils import timezone

from newsdesk.comments.models import Comment
from newsdesk.comments.services import same_text_since
from newsdesk.moderation.models import Ban
from newsdesk.moderation.rules import Rules, latest_rules

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "form_ts"
_SIGNER = signing.Signer(salt="newsdesk.moderation.comment-form")
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"')\]]+", re.IGNORECASE)


# --- the form: honeypot and time to fill -----------------------------------------------


def form_timestamp(now: float | None = None) -> str:
    """A signed 'form loaded at' value for the comment form."""
    return _SIGNER.sign(str(int(time.time() if now is None else now)))


def form_reasons(data, now: float | None = None) -> list[str]:
    """Reasons from the posted form fields (a QueryDict or dict)."""
    reasons = []
    if (data.get(HONEYPOT_FIELD) or "").strip():
        reasons.append("honeypot field filled")
    token = data.get(TIMESTAMP_FIELD)
    if token is None:
        if settings.MODERATION_REQUIRE_FORM_TOKEN:
            reasons.append("form timestamp missing")
        return reasons
    try:
        loaded_at = int(_SIGNER.unsign(token))
    except (signing.BadSignature, ValueError):
        return [*reasons, "form timestamp invalid"]
    age = (time.time() if now is None else now) - loaded_at
    if age < settings.MODERATION_MIN_FORM_SECONDS:
        reasons.append(f"posted {max(age, 0):.0f} s after the form loaded")
    elif age > settings.MODERATION_MAX_FORM_AGE:
        reasons.append("form too old")
    return reasons


# --- the text --------------------------------------------------------------------------


def count_links(body: str) -> int:
    return len(_LINK.findall(body))


def too_many_links(body: str) -> str:
    limit, found = settings.MODERATION_MAX_LINKS, count_links(body)
    return f"too many links ({found} > {limit})" if found > limit else ""


def banned_phrase(body: str, rules: Rules | None = None) -> str:
    rules = rules or latest_rules()
    for phrase, pattern in rules.phrases:
        if pattern.search(body):
            return f"banned phrase “{phrase.text}”"
    return ""


def repeated_text(comment: Comment) -> str:
    """The same author posted the same text within the window (any article)."""
    if comment.author_id is None and not comment.guest_email:
        return ""
    since = timezone.now() - timedelta(hours=settings.MODERATION_DUPLICATE_WINDOW_HOURS)
    found = same_text_since(
        comment.body, since, author_id=comment.author_id, guest_email=comment.guest_email
    )
    return "same text posted again" if found is not None else ""


# --- who is posting --------------------------------------------------------------------


def matching_bans(comment: Comment, ip: str | None, rules: Rules | None = None) -> list[Ban]:
    keys = []
    if ip:
        keys.append(("ip", ip))
    email = comment.author.email if comment.author_id else comment.guest_email
    if email:
        keys.append(("email", email.lower()))
    if comment.author_id:
        keys.append(("user", str(comment.author_id)))
    rules = rules or latest_rules()
    return rules.active_bans(keys)


def is_shadow_banned(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    rules = latest_rules()
    return any(ban.shadow for ban in rules.active_bans([("user", str(user.pk))]))
