"""Cached anonymous pages served before Django's middleware runs (a WSGI wrapper).

A hit through Django (newsdesk.site.pagecache) costs about 5 ms: sessions, auth, CSRF,
CSP, messages and the URL resolver run for a page that is already made. This layer keeps,
per process, the finished responses Django produced for anonymous readers (the page,
every header Django's middleware added: CSP, X-Frame-Options, nosniff, Referrer-Policy,
COOP, Vary, ETag) and answers the next identical request itself, in well under a
millisecond. It never changes what a reader gets:

- Only GET/HEAD requests without a session, messages or replica-pin cookie are served
  here, and only responses Django marked as anonymous-page-cache entries (X-Page-Cache),
  status 200, setting no cookie but the CSRF one, are kept.
- Never stale: entries are keyed by the ContentVersion row, read from the primary database
  on every request with one tiny prepared query on a connection of this layer's own (raw
  DB-API: about 20 µs on SQLite). Every change bumps that row, so the next request after a
  change, on any worker or app server, misses and Django renders afresh. A per-process copy
  of the version would be faster still, but one worker could not see another's bump.
- The CSRF token is swapped like Django does: the reader's csrftoken cookie (or a new
  secret) is masked afresh into the page's form and the cookie is set again, as
  CsrfViewMiddleware would. Pages are cached with a marker where the token goes.
- If-None-Match matching the stored ETag gets a 304, as ConditionalGetMiddleware gives.

Anything unexpected (no version row, a database error) falls through to Django.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import time
from collections import OrderedDict
from http.cookies import SimpleCookie

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

from newsdesk.site.models import ContentVersion
from newsdesk.site.pagecache import CSRF_INPUT, CSRF_MARK

MAX_BYTES = 64 * 1024 * 1024  # per process
CSRF_SECRET = re.compile(r"^[a-zA-Z0-9]{32}$")
SKIP_HEADERS = {"set-cookie", "content-length", "date", "server", "connection"}
STATUS_304 = "304 Not Modified"
# What Django's 304 carries (django.utils.cache._not_modified, then SecurityMiddleware).
HEADERS_304 = {
    "cache-control",
    "content-location",
    "date",
    "etag",
    "expires",
    "last-modified",
    "vary",
    "x-content-type-options",
    "referrer-policy",
    "cross-origin-opener-policy",
    "strict-transport-security",
}


class _VersionReader:
    """SELECT version FROM the content-version row, on a raw connection kept per thread."""

    def __init__(self):
        self.local = threading.local()
        table = connections["default"].ops.quote_name(ContentVersion._meta.db_table)
        self.sql = f"SELECT version FROM {table} WHERE id = 1"  # noqa: S608 - from _meta

    def _connection(self):
        raw = getattr(self.local, "raw", None)
        if raw is None:
            wrapper = connections["default"]
            raw = wrapper.get_new_connection(wrapper.get_connection_params())
            if wrapper.vendor == "postgresql":
                # Each read sees the latest commit; never idle in a transaction.
                raw.autocommit = True
            elif wrapper.vendor == "sqlite":
                raw.isolation_level = None
            self.local.raw = raw
        return raw

    def read(self) -> int | None:
        try:
            cursor = self._connection().cursor()
            cursor.execute(self.sql)
            row = cursor.fetchone()
            cursor.close()
        except Exception:
            self.reset()
            return None
        return row[0] if row else None

    def reset(self):
        raw = getattr(self.local, "raw", None)
        self.local.raw = None
        if raw is not None:
            with contextlib.suppress(Exception):  # already broken
                raw.close()


class FastPageCache:
    """WSGI middleware: ``application = FastPageCache(get_wsgi_application())``."""

    def __init__(self, app):
        self.app = app
        self.entries: OrderedDict[str, dict] = OrderedDict()
        self.size = 0
        self.version: int | None = None
        self.lock = threading.Lock()
        self.versions = _VersionReader()
        self.skip_cookies = {
            settings.SESSION_COOKIE_NAME,
            "messages",
            "newsdesk_primary",  # newsdesk.site.routers.PIN_COOKIE: reads must go to the primary
        }

    # --- WSGI -----------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        if not self._eligible(environ):
            return self.app(environ, start_response)
        version = self.versions.read()
        if version is None:
            return self.app(environ, start_response)
        key = self._key(environ)
        with self.lock:
            if version != self.version:  # everything older is dead: drop it at once
                self.entries.clear()
                self.size = 0
                self.version = version
            entry = self.entries.get(key)
        if entry is not None:
            return self._serve(entry, environ, start_response)
        return self._fill(key, version, environ, start_response)

    def _eligible(self, environ) -> bool:
        if settings.PAGE_CACHE_SECONDS <= 0 or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        cookie_header = environ.get("HTTP_COOKIE", "")
        if cookie_header and any(name in cookie_header for name in self.skip_cookies):
            return not self._has_skip_cookie(cookie_header)
        return True

    def _has_skip_cookie(self, header: str) -> bool:
        return bool(self.skip_cookies & set(_cookies(header)))

    @staticmethod
    def _key(environ) -> str:
        scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
        raw = "\x00".join(
            (
                scheme,
                environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""),
                environ.get("SCRIPT_NAME", ""),
                environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""),
            )
        )
        return hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()

    # --- miss: let Django answer, keep what it answered -----------------------------------

    def _fill(self, key, version, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        if environ["REQUEST_METHOD"] != "GET" or not _cacheable(captured):
            return result
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        entry = _entry(captured["headers"], body)
        if entry is not None:
            with self.lock:
                if version == self.version and key not in self.entries:
                    self.entries[key] = entry
                    self.size += entry["size"]
                    while self.size > MAX_BYTES and self.entries:
                        _, old = self.entries.popitem(last=False)
                        self.size -= old["size"]
        return [body]

    # --- hit ------------------------------------------------------------------------------

    def _serve(self, entry, environ, start_response):
        headers = list(entry["headers"])
        parts = entry["parts"]
        if len(parts) > 1:
            secret = _csrf_secret(environ)
            token = _mask(secret).encode()
            body = token.join(parts)
            headers.append(("Set-Cookie", _csrf_cookie(secret)))
        else:
            body = parts[0]
        if environ.get("HTTP_IF_NONE_MATCH", "") == entry["etag"]:
            kept = [(n, v) for n, v in headers if n.lower() in HEADERS_304 or n == "Set-Cookie"]
            start_response(STATUS_304, kept)
            return [b""]
        headers.append(("Content-Length", str(len(body))))
        start_response("200 OK", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _cookies(header: str) -> dict[str, str]:
    cookie = SimpleCookie()
    try:
        cookie.load(header)
    except Exception:
        return {}
    return {name: morsel.value for name, morsel in cookie.items()}


def _cacheable(captured) -> bool:
    if not captured.get("status", "").startswith("200 "):
        return False
    names = [name.lower() for name, _ in captured["headers"]]
    if "x-page-cache" not in names:
        return False
    for name, value in captured["headers"]:
        if name.lower() == "set-cookie" and not value.strip().startswith(
            settings.CSRF_COOKIE_NAME + "="
        ):
            return False
    return True


def _entry(headers, body: bytes) -> dict | None:
    marked = CSRF_INPUT.sub(rb"\1" + CSRF_MARK + rb"\2", body)
    if CSRF_MARK in marked and settings.CSRF_USE_SESSIONS:
        return None  # the token lives in the session: leave such pages to Django
    kept = [
        (n, "hit" if n.lower() == "x-page-cache" else v)
        for n, v in headers
        if n.lower() not in SKIP_HEADERS
    ]
    etag = next((v for n, v in headers if n.lower() == "etag"), None)
    return {
        "headers": kept,
        "parts": marked.split(CSRF_MARK),
        "etag": etag,
        "size": len(marked) + 512,
    }


def _random_chars(length: int) -> str:
    """``length`` characters from CSRF_ALLOWED_CHARS, uniformly, from os.urandom.

    What django.middleware.csrf._get_new_csrf_string gives, ten times faster: Django
    draws each character with SystemRandom.choice (one getrandbits call each), which
    made up most of a cached hit's time here. Rejection sampling keeps it unbiased.
    """
    out = b""
    while len(out) < length:
        out += os.urandom(length * 2).translate(_BYTE_TO_CHAR, _BIASED_BYTES)
    return out[:length].decode("ascii")


def _mask(secret: str) -> str:
    """The masked form token for ``secret``, as django.middleware.csrf._mask_cipher_secret."""
    chars, index = CSRF_ALLOWED_CHARS, _CHAR_INDEX
    mask = _random_chars(CSRF_SECRET_LENGTH)
    cipher = "".join(
        chars[(index[x] + index[y]) % len(chars)] for x, y in zip(secret, mask, strict=True)
    )
    return mask + cipher


_CHAR_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
# Bytes at or above the largest multiple of 62 are dropped; the rest map to b % 62.
_BIASED_BYTES = bytes(range(256 - 256 % len(CSRF_ALLOWED_CHARS), 256))
_BYTE_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[b % len(CSRF_ALLOWED_CHARS)]) for b in range(256))
_cookie_template: tuple[int, str] = (0, "")


def _csrf_secret(environ) -> str:
    value = _cookies(environ.get("HTTP_COOKIE", "")).get(settings.CSRF_COOKIE_NAME, "")
    return value if CSRF_SECRET.match(value) else _random_chars(CSRF_SECRET_LENGTH)


def _csrf_cookie(secret: str) -> str:
    """The Set-Cookie value CsrfViewMiddleware._set_csrf_cookie would send.

    Made by Django once a second (its expiry date has one-second resolution) with a
    stand-in for the secret, which is then put in.
    """
    global _cookie_template
    now = int(time.time())
    if _cookie_template[0] != now:
        _cookie_template = (now, _django_csrf_cookie("csrfSecretStandIn"))
    return _cookie_template[1].replace("csrfSecretStandIn", secret)


def _django_csrf_cookie(secret: str) -> str:
    response = HttpResponse()
    response.set_cookie(
        settings.CSRF_COOKIE_NAME,
        secret,
        max_age=settings.CSRF_COOKIE_AGE,
        domain=settings.CSRF_COOKIE_DOMAIN,
        path=settings.CSRF_COOKIE_PATH,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=settings.CSRF_COOKIE_HTTPONLY,
        samesite=settings.CSRF_COOKIE_SAMESITE,
    )
    return response.cookies[settings.CSRF_COOKIE_NAME].OutputString()
