"""Optional read replica: reads go to the ``replica`` database, writes to ``default``.

Active only when DATABASE_REPLICA_URL is set (settings add the alias, this router and the
middleware below). A replica lags its primary by a little, so three rules keep every reader
seeing their own writes and every write decision made on fresh data:

- reads inside a transaction (``atomic`` block) go to the primary: a read that decides a
  write (lock, recount, duplicate check) must see the primary's rows;
- once a request has written, its later reads go to the primary;
- after a request that wrote, the same browser reads from the primary for a few seconds
  (a short cookie), so the page it is redirected to after posting shows its comment.

Outside requests (management commands, task workers) only the first rule applies; task
workers should run without DATABASE_REPLICA_URL, so a task reads what enqueued it.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import connections

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")

PRIMARY = "default"
REPLICA = "replica"
PIN_COOKIE = "newsdesk_primary"

# None outside a request; False/True inside one: "this request has written".
_request_wrote: ContextVar[bool | None] = ContextVar("newsdesk_request_wrote", default=None)
_pinned: ContextVar[bool] = ContextVar("newsdesk_pinned_to_primary", default=False)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if REPLICA not in settings.DATABASES:
            return PRIMARY
        if _pinned.get() or _request_wrote.get() or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        # Not a sign of a write: Django also asks this when an unsaved instance is built.
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the replica follows the primary's schema by replication


class PinToPrimaryMiddleware:
    """Tracks whether a request wrote, and pins its browser to the primary for a moment."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wrote = _request_wrote.set(False)
        pinned = _pinned.set(PIN_COOKIE in request.COOKIES)
        try:
            with connections[PRIMARY].execute_wrapper(_note_writes):
                response = self.get_response(request)
            if _request_wrote.get():
                response.set_cookie(
                    PIN_COOKIE,
                    "1",
                    max_age=settings.REPLICA_PIN_SECONDS,
                    httponly=True,
                    samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _request_wrote.reset(wrote)
            _pinned.reset(pinned)


def _note_writes(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(WRITE_VERBS):
        _request_wrote.set(True)
    return execute(sql, params, many, context)
