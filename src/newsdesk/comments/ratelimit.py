"""Fixed-window rate limits with counters in Django's cache.

The counters use ``cache.add`` + ``cache.incr``, which are atomic in Redis, so a limit holds
across several app servers sharing one cache (with the per-process memory cache it holds per
process only). The web views and the API call the same functions.
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    retry_after: int = 0  # seconds until the reader may try again

    @property
    def message(self) -> str:
        if self.allowed:
            return ""
        minutes, seconds = divmod(self.retry_after, 60)
        wait = f"{minutes} min {seconds} s" if minutes else f"{seconds} seconds"
        return f"You are posting too fast. You may post again in {wait}."


def _incr(key: str, window: int) -> int:
    cache.add(key, 0, timeout=window + 1)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        return 1


def hit(
    scope: str, identity: str, limits: Sequence[tuple[int, int]], *, now: float | None = None
) -> RateLimitResult:
    """Count one attempt by ``identity`` against each (max_count, window_seconds) limit.

    A refused attempt is not counted, so waiting out the window is always enough.
    A limit with max_count 0 is switched off.
    """
    now = time.time() if now is None else now
    counted: list[str] = []
    retry_after = 0
    for max_count, window in limits:
        if max_count <= 0:
            continue
        bucket = int(now // window)
        key = f"ratelimit:{scope}:{identity}:{window}:{bucket}"
        counted.append(key)
        if _incr(key, window) > max_count:
            retry_after = max(retry_after, math.ceil((bucket + 1) * window - now))
    if retry_after:
        for key in counted:
            with contextlib.suppress(ValueError):  # expired meanwhile: nothing to undo
                cache.decr(key)
        return RateLimitResult(False, retry_after)
    return RateLimitResult(True)


def is_exempt(user) -> bool:
    """Moderators and staff are never throttled."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or user.groups.filter(name="moderators").exists()


def check_comment_rate(user, ip: str | None, *, now: float | None = None) -> RateLimitResult:
    """One posting attempt by a reader (account or guest) from an IP address."""
    if is_exempt(user):
        return RateLimitResult(True)
    results = []
    if user is not None and user.is_authenticated:
        results.append(hit("comment-user", str(user.pk), settings.COMMENTS_RATE_LIMITS, now=now))
    if ip:
        results.append(hit("comment-ip", ip, settings.COMMENTS_IP_RATE_LIMITS, now=now))
    refused = [r for r in results if not r.allowed]
    if refused:
        return RateLimitResult(False, max(r.retry_after for r in refused))
    return RateLimitResult(True)
