"""A database that cannot take writes (read-only, disk full, locked too long) gives the
reader a clear 503 page instead of a server error, and hands back the text they wrote."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InternalError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Substrings of SQLite's and PostgreSQL's messages for a database that is there but
# cannot take this request right now. Anything else is a real bug and stays a 500.
UNAVAILABLE_MESSAGES = (
    "readonly database",
    "read-only transaction",
    "read-only file system",
    "disk is full",
    "database or disk is full",
    "no space left on device",
    "could not extend file",
    "database is locked",
    "could not obtain lock",
    "the database system is in recovery mode",
    "the database system is starting up",
)
# Fields a reader wrote that are worth handing back; secrets never are.
SECRET_FIELD_MARKERS = ("password", "csrf", "token", "secret")


def is_database_unavailable(error: BaseException) -> bool:
    # PostgreSQL reports a read-only transaction as an InternalError (SQLSTATE 25006).
    return isinstance(error, OperationalError | InternalError) and any(
        marker in str(error).lower() for marker in UNAVAILABLE_MESSAGES
    )


def kept_text(request) -> list[tuple[str, str]]:
    """What the reader typed into the form, so that a failed save loses none of it."""
    if request.method != "POST":
        return []
    kept = []
    for name, value in request.POST.items():
        if any(marker in name.lower() for marker in SECRET_FIELD_MARKERS):
            continue
        if value.strip() and not value.strip().isdigit():  # ids and counters are not text
            kept.append((name, value))
    return kept


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error("database unavailable for %s %s: %s", request.method, request.path, exception)
        retry_after = getattr(settings, "DATABASE_UNAVAILABLE_RETRY_AFTER", 30)
        html = render_to_string(
            "503.html",
            {"kept_text": kept_text(request), "retry_after": retry_after},
            request=None,  # no context processors: they might query the database too
        )
        response = HttpResponse(html, status=503)
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "no-store"  # the text kept is this reader's only
        return response
