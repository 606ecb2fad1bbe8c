"""One careful HTTP GET for feeds and the pages they link to (stdlib urllib).

Careful means: only http and https, also after a redirect; a deadline for the whole
response, not only per socket read (a server dripping one byte a second never ends
otherwise); a byte cap, past which the response is cut off and refused; conditional
GET so an unchanged feed costs one 304.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class FetchError(Exception):
    """The URL could not be fetched; the message is one line for a human."""


@dataclass
class FetchResult:
    status: int  # 200 or 304
    body: bytes
    url: str  # after redirects
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req, fp, code, msg, headers):
        # Checked here, before urllib's own check, which allows ftp: and words it vaguely.
        location = headers.get("Location") or headers.get("URI") or ""
        newurl = urljoin(req.full_url, location.strip())
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            fp.close()
            raise FetchError(f"refused a redirect to a {scheme}: URL ({newurl[:200]})")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.build_opener(_SafeRedirects)


def _check_scheme(url: str) -> None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        raise FetchError(
            f"only http and https URLs are fetched, not {scheme or 'this'}: {url[:200]}"
        )


def _read_capped(response, max_bytes: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(
            f"response is {int(declared) / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB"
        )
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise FetchError("timed out while reading the response")
        chunk = response.read1(_CHUNK)  # read() would wait for a full chunk
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"response cut off: over the limit of {max_bytes / 1_048_576:.0f} MB")
        chunks.append(chunk)


def fetch(
    url: str,
    etag: str = "",
    last_modified: str = "",
    timeout: float | None = None,
    max_bytes: int | None = None,
) -> FetchResult:
    """GET the URL; 304 when the validators still hold. Raises FetchError on any failure."""
    _check_scheme(url)
    timeout = timeout if timeout is not None else settings.INGEST_FETCH_TIMEOUT
    max_bytes = max_bytes if max_bytes is not None else settings.INGEST_FETCH_MAX_BYTES
    headers = {"User-Agent": settings.INGEST_USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            body = _read_capped(response, max_bytes, deadline)
            return FetchResult(
                status=response.status,
                body=body,
                url=response.url,
                etag=response.headers.get("ETag", "")[:500],
                last_modified=response.headers.get("Last-Modified", "")[:100],
                content_type=response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return FetchResult(
                status=304, body=b"", url=url, etag=etag, last_modified=last_modified
            )
        raise FetchError(f"HTTP {error.code} {error.reason}") from None
    except FetchError:
        raise
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, FetchError):
            raise reason from None
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise FetchError(f"timed out after {timeout:g} s") from None
        raise FetchError(f"cannot connect: {reason}") from None
    except TimeoutError:
        raise FetchError(f"timed out after {timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        # InvalidURL (a raw space in a feed's link) and friends are this item's problem only.
        raise FetchError(f"fetch failed: {error}") from None
