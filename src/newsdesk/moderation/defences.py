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
from newsdesk.moderation.models import Ban, BannedPhrase

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


def phrase_pattern(phrase: BannedPhrase) -> re.Pattern:
    if phrase.match == BannedPhrase.Match.PATTERN:
        return re.compile(phrase.text, re.IGNORECASE)
    words = r"\s+".join(re.escape(w) for w in phrase.text.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


def banned_phrase(body: str) -> str:
    for phrase in BannedPhrase.objects.all():
        try:
            pattern = phrase_pattern(phrase)
        except re.error:  # the admin validates patterns; an old bad one is skipped
            continue
        if pattern.search(body):
            return f"banned phrase “{phrase.text}”"
    return ""


def repeated_text(comment: Comment) -> str:
    """The same author posted the same text within the window (any article)."""
    since = timezone.now() - timedelta(hours=settings.MODERATION_DUPLICATE_WINDOW_HOURS)
    same = Comment.objects.filter(body=comment.body, created_at__gte=since).exclude(
        status=Comment.Status.DELETED
    )
    if comment.author_id is not None:
        same = same.filter(author_id=comment.author_id)
    elif comment.guest_email:
        same = same.filter(author__isnull=True, guest_email__iexact=comment.guest_email)
    else:
        return ""
    return "same text posted again" if same.exists() else ""


# --- who is posting --------------------------------------------------------------------


def matching_bans(comment: Comment, ip: str | None) -> list[Ban]:
    bans = Ban.objects.active()
    keys = []
    if ip:
        keys.append(("ip", ip))
    email = comment.author.email if comment.author_id else comment.guest_email
    if email:
        keys.append(("email", email.lower()))
    if comment.author_id:
        keys.append(("user", str(comment.author_id)))
    found = []
    for kind, value in keys:
        found.extend(bans.filter(kind=kind, value=value))
    return found


def is_shadow_banned(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Ban.objects.active().filter(kind="user", value=str(user.pk), shadow=True).exists()
