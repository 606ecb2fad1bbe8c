"""Whole-page cache for anonymous readers that is never stale.

Pages are cached under the current ContentVersion; every change to public content bumps
the version (signals below, or ``bump_content_version()`` after a bulk update), so the
next request renders afresh. Logged-in readers, non-GET requests and responses carrying
messages bypass the cache. A cached page holds no one's CSRF token: the token is swapped
for the current reader's on the way out.
"""

import contextlib
import functools
import hashlib
import re
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.http import quote_etag

from newsdesk.site.models import ContentVersion

CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_MARK = b"\x00csrf\x00"
CACHED_HEADERS = ("Content-Type", "Content-Language", "Link")


def current_content_version() -> int:
    version = ContentVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return version or 0


def _bump() -> None:
    # One bound statement: it runs on every comment posted, where the ORM's update()
    # cost more than everything else in the write transaction.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ContentVersion._meta.db_table} SET version = version + 1 WHERE id = 1"  # noqa: S608 - _meta
        )
        updated = cursor.rowcount
    if not updated:
        ContentVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def bump_content_version(in_this_transaction: bool = False) -> None:
    """Make every cached page old. ``in_this_transaction`` for short write transactions
    that bump as their last statement (posting a comment), saving a second commit."""
    if connection.vendor == "sqlite" or in_this_transaction:
        # SQLite has one writer at a time: bumping inside the writing transaction takes no
        # extra lock and becomes visible in the same commit as the change. After the
        # commit it would be a second write transaction, queueing behind the next writer.
        _bump()
        return
    # Elsewhere after commit: readers must not see the new version before the data is
    # visible, and the hot row is not held locked for the whole writing transaction.
    transaction.on_commit(_bump)


# Set while a caller saves rows and bumps the version itself, once (see bumped_by_caller).
_caller_bumps: ContextVar[bool] = ContextVar("newsdesk_caller_bumps", default=False)


@contextlib.contextmanager
def bumped_by_caller():
    """Saves inside this block leave the content version to the caller, who bumps it once
    itself: posting a comment bumps it as the last statement of its transaction, where the
    save's own signal would have queued a second bump after the commit."""
    token = _caller_bumps.set(True)
    try:
        yield
    finally:
        _caller_bumps.reset(token)


def bump_on_change(sender, instance=None, **kwargs) -> None:
    if _caller_bumps.get():
        return
    bump_content_version()


def _cacheable_request(request) -> bool:
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(request, version: int) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"page:{version}:{digest}"


def cache_anonymous_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request, current_content_version())
        stored = cache.get(key)
        if stored is not None:
            response = HttpResponse(_with_token(stored["content"], request), status=200)
            for name, value in stored["headers"].items():
                response[name] = value
            response["ETag"] = stored["etag"]
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies.get("messages")
        ):
            content = CSRF_INPUT.sub(rb"\1" + CSRF_MARK + rb"\2", response.content)
            headers = {h: response[h] for h in CACHED_HEADERS if h in response}
            # The ETag ignores the CSRF token, which differs on every request, so a
            # reader's browser can revalidate a page with a form and get a 304.
            etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
            cache.set(
                key,
                {"content": content, "headers": headers, "etag": etag},
                settings.PAGE_CACHE_SECONDS,
            )
            response["ETag"] = etag
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


def _with_token(content: bytes, request) -> bytes:
    if CSRF_MARK not in content:
        return content
    return content.replace(CSRF_MARK, get_token(request).encode())
