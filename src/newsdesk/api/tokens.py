"""Issuing, checking and revoking personal API tokens, and who may edit through the API."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from newsdesk.api.models import ApiToken

TOKEN_PREFIX = "nd_"  # noqa: S105 - a label that makes leaked tokens easy to spot
# last_used is for people ("is this token still in use?"); writing it on every request
# would turn every API read into a database write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(user: AbstractBaseUser, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user``; the raw secret is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:10], token_hash=hash_token(raw)
    )
    return token, raw


def user_for_token(raw: str):
    """The active user owning this unrevoked token, or None."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def is_editor(user) -> bool:
    """Editors may create and change articles through the API."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff and user.has_perm("articles.change_article"):
        return True
    return user.groups.filter(name="editors").exists()
