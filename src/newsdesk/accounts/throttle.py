"""Login throttling against password guessing, with counters in the Django cache.

Failures are counted per account (or per unknown login name) and per client IP in fixed
windows of ACCOUNTS_LOGIN_FAILURE_WINDOW seconds. With Redis as the cache the counts hold
across every app server. While either count is at its limit the login form answers
"Too many failed attempts" without checking the password at all, so a correct guess made
during the lock-out gains nothing. A successful login clears the account's counter (not
the IP's: one good password must not buy an attacker fresh guesses on other accounts).
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache

from newsdesk.accounts.backends import find_user_for_login
from newsdesk.accounts.forms import ErrorFocusMixin

KEY_PREFIX = "accounts:login-failures"


@dataclass(frozen=True)
class Counter:
    key: str
    limit: int


def client_ip(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "unknown") if request is not None else "unknown"


def _digest(value: str) -> str:
    # Login names can be anything a stranger types; the cache key stays short and clean.
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def counters_for(login_name: str, ip: str) -> list[Counter]:
    user = find_user_for_login(login_name)
    account = f"user:{user.pk}" if user else "name:" + _digest(login_name.strip().lower())
    return [
        Counter(f"{KEY_PREFIX}:{account}", settings.ACCOUNTS_LOGIN_MAX_FAILURES),
        Counter(f"{KEY_PREFIX}:ip:{_digest(ip)}", settings.ACCOUNTS_LOGIN_MAX_FAILURES_PER_IP),
    ]


def seconds_locked(counters: list[Counter]) -> int:
    """0 when login may be tried; otherwise how long until the fullest window ends."""
    window = settings.ACCOUNTS_LOGIN_FAILURE_WINDOW
    values = cache.get_many([c.key for c in counters] + [c.key + ":since" for c in counters])
    wait = 0
    for counter in counters:
        if (values.get(counter.key) or 0) >= counter.limit:
            since = values.get(counter.key + ":since") or time.time()
            wait = max(wait, int(since + window - time.time()) or 1)
    return max(wait, 0)


def record_failure(counters: list[Counter]) -> None:
    window = settings.ACCOUNTS_LOGIN_FAILURE_WINDOW
    for counter in counters:
        # add() only starts a window; incr() is atomic in Redis and in the local cache.
        cache.add(counter.key + ":since", time.time(), window)
        cache.add(counter.key, 0, window)
        try:
            cache.incr(counter.key)
        except ValueError:  # the window expired between add() and incr()
            cache.set(counter.key, 1, window)


def clear_account_failures(counters: list[Counter]) -> None:
    cache.delete_many([counters[0].key, counters[0].key + ":since"])


class ThrottledAuthenticationForm(ErrorFocusMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That e-mail address or username and password do not match. "
        "Passwords are case-sensitive.",
        "throttled": "Too many failed attempts; try again in %(minutes)s %(unit)s.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "E-mail or username"
        self.fields["username"].widget.attrs["autocomplete"] = "username"

    def clean(self):
        login_name = self.cleaned_data.get("username") or ""
        counters = counters_for(login_name, client_ip(self.request))
        wait = seconds_locked(counters)
        if wait:
            minutes = max(1, math.ceil(wait / 60))
            raise forms.ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": minutes, "unit": "minute" if minutes == 1 else "minutes"},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                record_failure(counters)
            raise
        clear_account_failures(counters)
        return cleaned
