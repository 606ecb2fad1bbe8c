"""Cursor pagination: an opaque token naming the last item a client saw.

A cursor is the (timestamp, id) of the last item on a page, so the next page starts
strictly after it in the listing's order. Unlike page numbers, items published while
a client pages through do not shift the pages, and no item is shown twice or skipped.
"""

import base64
import json
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from newsdesk.api.problems import Problem


def encode_cursor(moment: datetime, pk: int) -> str:
    raw = json.dumps([moment.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, int]:
    try:
        padded = token + "=" * (-len(token) % 4)
        moment_text, pk = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        moment = parse_datetime(moment_text)
        if moment is None or moment.tzinfo is None or type(pk) is not int or not 0 < pk < 2**63:
            raise ValueError(token)
        moment = moment.astimezone(UTC)
    except (ValueError, TypeError, UnicodeError, OverflowError):
        raise Problem(400, "The cursor is not one this API gave out.", title="Bad cursor") from None
    return moment, pk


def page_after(
    queryset: QuerySet, cursor: str | None, limit: int, *, field: str, descending: bool
) -> tuple[list, str | None]:
    """One page of ``queryset`` ordered by (field, id), and the cursor of the next page."""
    order = [f"-{field}", "-id"] if descending else [field, "id"]
    queryset = queryset.order_by(*order)
    if cursor:
        moment, pk = decode_cursor(cursor)
        if descending:
            after = Q(**{f"{field}__lt": moment}) | Q(**{field: moment, "id__lt": pk})
        else:
            after = Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "id__gt": pk})
        queryset = queryset.filter(after)
    items = list(queryset[: limit + 1])
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    last = items[-1]
    return items, encode_cursor(getattr(last, field), last.pk)


def next_link(request, cursor: str | None) -> str | None:
    """The current URL with its query string kept and ``cursor`` replaced."""
    if cursor is None:
        return None
    params = [(key, value) for key, value in request.GET.items() if key != "cursor"]
    params.append(("cursor", cursor))
    return request.build_absolute_uri(request.path) + "?" + urlencode(params)
