"""Reader accounts as plain functions: sign-up, e-mail confirmation, data export, deletion.

Views, tasks and tests call these; nothing here needs an HTTP request.
"""

import re
import unicodedata
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.text import slugify

from newsdesk.accounts.models import Profile

CONFIRM_SALT = "newsdesk.accounts.confirm-email"
DELETED_READER_NAME = "deleted reader"
DELETE_MODES = ("anonymise", "remove")
# Bidirectional overrides/isolates let a name display as something it is not.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def get_profile(user) -> Profile:
    """The user's profile (the cached one when loaded, so callers never hold a stale copy)."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        return profile


def clean_display_name(name: str) -> str:
    """The name as shown: no control or direction-override characters, spaces collapsed."""
    name = _BIDI_CONTROLS.sub("", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc")
    return " ".join(name.split())


def clean_bio(text: str) -> str:
    """Plain text kept with its line breaks, without control or direction-override characters."""
    text = _BIDI_CONTROLS.sub("", (text or "").replace("\r\n", "\n"))
    text = "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")
    return text.strip()


def username_is_taken(username: str) -> bool:
    return get_user_model()._default_manager.filter(username__iexact=username).exists()


def email_is_taken(email: str) -> bool:
    return get_user_model()._default_manager.filter(email__iexact=email.strip()).exists()


def derive_username(display_name: str) -> str:
    """A free username from the display name (not the e-mail: it would leak the address)."""
    base = slugify(display_name)[:30].strip("-") or "reader"
    candidate = base
    for number in range(2, 50):
        if not username_is_taken(candidate):
            return candidate
        candidate = f"{base}-{number}"
    return f"{base}-{get_random_string(6, 'abcdefghijkmnpqrstuvwxyz23456789')}"


def create_reader(*, email: str, password: str, display_name: str, username: str = ""):
    """A new active reader with an unconfirmed e-mail. The password goes through Django's hasher."""
    User = get_user_model()
    display_name = clean_display_name(display_name)
    chosen = username.strip()
    for _attempt in range(5):
        name = chosen or derive_username(display_name)
        try:
            with transaction.atomic():
                user = User(username=name, email=User.objects.normalize_email(email.strip()))
                user.set_password(password)
                user.save()
                profile = get_profile(user)
                profile.display_name = display_name
                profile.email_confirmed = False
                profile.save(update_fields=["display_name", "email_confirmed"])
                return user
        except IntegrityError:
            if chosen:  # someone took it between the form check and now
                raise
    raise IntegrityError("could not find a free username")


# --- e-mail confirmation ------------------------------------------------------------------


def confirmation_token(user) -> str:
    """Signed (user, e-mail) pair: changing the address invalidates older links."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=CONFIRM_SALT, compress=True)


def confirmation_url(user, base_url: str) -> str:
    path = reverse("accounts:confirm_email", kwargs={"token": confirmation_token(user)})
    return base_url.rstrip("/") + path


def confirm_email(token: str):
    """The user whose address the token confirms (now marked confirmed), or None."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.ACCOUNTS_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    user = get_user_model()._default_manager.filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email.lower() != data.get("e"):
        return None
    Profile.objects.filter(user=user).update(email_confirmed=True)
    return user


def mark_email_confirmed(user) -> None:
    Profile.objects.update_or_create(user=user, defaults={"email_confirmed": True})


# --- comments owned by a reader --------------------------------------------------------------


def _comment_model():
    from newsdesk.comments.models import Comment

    return Comment


def published_comments_of(user):
    """What a profile page shows: published comments on articles the public can read."""
    from newsdesk.articles.models import Article

    Comment = _comment_model()
    return (
        Comment.objects.filter(author=user, status=Comment.Status.PUBLISHED)
        .filter(article__in=Article.objects.published())
        .select_related("article")
        .order_by("-created_at", "-id")
    )


def export_reader_data(user) -> dict:
    """Everything the reader gave us, as JSON-ready values. Moderation data (IP, user agent,
    spam score, reasons) is the site's, not shown to readers anywhere, so it is left out."""
    Comment = _comment_model()
    profile = get_profile(user)
    comments = (
        Comment.objects.filter(author=user)
        .select_related("article")
        .prefetch_related("revisions")
        .order_by("created_at", "id")
    )
    recommended = user.recommendations.order_by("created_at").values_list(
        "comment_id", "created_at"
    )
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profile": {
            "display_name": profile.display_name,
            "bio": profile.bio,
            "email_confirmed": profile.email_confirmed,
            "notify_replies": profile.notify_replies,
        },
        "comments": [
            {
                "id": comment.pk,
                "article": comment.article.headline,
                "article_url": settings.SITE_URL + comment.article.get_absolute_url(),
                "permalink": settings.SITE_URL + comment.get_absolute_url(),
                "in_reply_to": comment.parent_id,
                "status": comment.status,
                "body": comment.body,
                "created_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
                "earlier_versions": [
                    {"body": rev.body, "replaced_at": rev.created_at.isoformat()}
                    for rev in comment.revisions.all()
                ],
            }
            for comment in comments
        ],
        "recommended_comments": [
            {"comment": comment_id, "at": at.isoformat()} for comment_id, at in recommended
        ],
    }


def refresh_comment_counts(article_ids) -> None:
    """Use the comments app's own recount when it has one; otherwise count published rows."""
    try:
        comment_services = import_module("newsdesk.comments.services")
    except ImportError:
        comment_services = None
    refresh = getattr(comment_services, "refresh_comment_count", None)
    for article_id in sorted(set(article_ids)):
        if refresh is not None:
            refresh(article_id)
        else:
            from newsdesk.articles.models import Article

            Comment = _comment_model()
            count = Comment.objects.filter(article_id=article_id, status="published").count()
            Article.objects.filter(pk=article_id).update(comment_count=count)


def _recount_recommendations(comment_ids) -> None:
    from newsdesk.comments.models import Recommendation

    Comment = _comment_model()
    counts = (
        Recommendation.objects.filter(comment=OuterRef("pk"))
        .values("comment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Comment.objects.filter(pk__in=comment_ids).update(
        recommendation_count=Coalesce(Subquery(counts), Value(0))
    )


def _remove_comments_of(user) -> None:
    """Delete leaves first, so other readers' replies are never cascaded away; what still
    has replies becomes an empty "deleted" placeholder."""
    Comment = _comment_model()
    while True:
        leaves = list(
            Comment.objects.filter(author=user, replies__isnull=True).values_list("pk", flat=True)
        )
        if not leaves:
            break
        Comment.objects.filter(pk__in=leaves).delete()
    kept = Comment.objects.filter(author=user)
    for comment in kept:
        comment.revisions.all().delete()
    kept.update(
        status=Comment.Status.DELETED,
        body="",
        body_html="",
        author=None,
        guest_name=DELETED_READER_NAME,
        guest_email="",
        ip_address=None,
        user_agent="",
    )


def delete_account(user, mode: str | None = None) -> None:
    """Delete the reader; their comments are anonymised or removed (ACCOUNTS_DELETE_COMMENTS)."""
    mode = mode or settings.ACCOUNTS_DELETE_COMMENTS
    if mode not in DELETE_MODES:
        raise ValueError(f"ACCOUNTS_DELETE_COMMENTS must be one of {DELETE_MODES}, not {mode!r}")
    Comment = _comment_model()
    with transaction.atomic():
        article_ids = list(
            Comment.objects.filter(author=user).values_list("article_id", flat=True).distinct()
        )
        recommended_ids = list(user.recommendations.values_list("comment_id", flat=True))
        if mode == "anonymise":
            Comment.objects.filter(author=user).update(
                author=None,
                guest_name=DELETED_READER_NAME,
                guest_email="",
                ip_address=None,
                user_agent="",
            )
        else:
            _remove_comments_of(user)
        user.delete()
        _recount_recommendations(recommended_ids)
        refresh_comment_counts(article_ids)
