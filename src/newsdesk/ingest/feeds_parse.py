"""RSS / Atom bytes to plain values, via feedparser.

Fetching is someone else's job: this module only reads bytes already downloaded, so it
never lets feedparser open a URL or a file itself.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from lxml import etree

# Content with less text than this is a teaser, however the feed labels it.
FULL_CONTENT_MIN_CHARS = 500
# Endings that mark a summary cut short by the publisher ("... [...]", "Read more").
_TRUNCATION_MARK = re.compile(
    r"(\[(\u2026|\.\.\.)\]|\u2026|\.\.\.|read more|continue reading|read the full (story|article))"
    r"\W*$",
    re.I,
)


class FeedError(Exception):
    """The bytes are not a feed we can read. The message is one line for a human."""


@dataclass
class FeedEntry:
    guid: str
    link: str | None
    title: str
    author: str | None
    published: datetime | None  # aware, UTC
    summary: str  # plain text
    content_html: str | None  # the full article HTML when the feed carries it, else None
    tags: list[str] = field(default_factory=list)


@dataclass
class ParsedFeed:
    title: str
    link: str | None
    entries: list[FeedEntry] = field(default_factory=list)


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    if not markup or not markup.strip():
        return ""
    try:
        text = lxml.html.fragment_fromstring(markup, create_parent="div").text_content()
    except (etree.ParserError, ValueError):
        text = re.sub(r"<[^>]*>", " ", markup)
    return " ".join(text.split())


def _absolute(link: str | None, base_url: str | None) -> str | None:
    if not link:
        return None
    absolute = urljoin(base_url or "", link.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _published(entry: Any) -> datetime | None:
    # feedparser has already converted these struct_times to UTC.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _full_content(entry: Any, summary_html: str) -> str | None:
    """The entry's full article HTML: <content:encoded>/<content>, or a long description."""
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    candidates = contents + [summary_html]
    best = max(candidates, key=lambda markup: len(html_to_text(markup)), default="")
    text = html_to_text(best)
    if len(text) < FULL_CONTENT_MIN_CHARS or _TRUNCATION_MARK.search(text):
        return None
    return best


def _guid(entry: Any, link: str | None, title: str) -> str:
    """The feed's id; else the link; else a hash of title and date, stable across fetches."""
    if entry.get("id"):
        return str(entry["id"]).strip()
    if link:
        return link
    stamp = entry.get("published") or entry.get("updated") or ""
    return "sha256:" + hashlib.sha256(f"{title}\n{stamp}".encode()).hexdigest()


def _author(entry: Any) -> str | None:
    detail = entry.get("author_detail") or {}
    name = detail.get("name") or entry.get("author")
    return name.strip() if isinstance(name, str) and name.strip() else None


def _entry(entry: Any, base_url: str | None) -> FeedEntry:
    link = _absolute(entry.get("link"), base_url)
    title = html_to_text(entry.get("title", ""))
    summary_html = entry.get("summary", "") or ""
    tags = [str(t.get("term") or t.get("label") or "").strip() for t in entry.get("tags", [])]
    return FeedEntry(
        guid=_guid(entry, link, title),
        link=link,
        title=title,
        author=_author(entry),
        published=_published(entry),
        summary=html_to_text(summary_html),
        content_html=_full_content(entry, summary_html),
        tags=[t for t in dict.fromkeys(tags) if t],
    )


def _not_a_feed_reason(data: bytes, parsed: Any) -> str:
    head = data[:1024].lstrip().lower()
    if not head:
        return "not an RSS/Atom feed: the document is empty"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "not an RSS/Atom feed: this is an HTML page"
    if parsed.get("bozo"):
        reason = str(parsed.get("bozo_exception", "")).replace("<unknown>:", "at ")
        return f"not an RSS/Atom feed: the XML is malformed ({reason})"
    return "not an RSS/Atom feed: no feed title and no entries"


# An internal DTD subset that declares entities is how "billion laughs" and external
# entity attacks start; no real feed needs one, so such a document is refused unread.
_ENTITY_DECLARATION = re.compile(rb"<!DOCTYPE[^>\[]*\[[^\]]*<!ENTITY", re.I | re.S)
_MAX_JSON_ITEMS = 10_000


def refuse_entity_declarations(data: bytes) -> None:
    """Raise FeedError when the XML declares entities in its DOCTYPE (see above)."""
    head = data[: 64 * 1024]
    if b"<!ENTITY" in head.upper() and (
        _ENTITY_DECLARATION.search(head) or b"<!DOCTYPE" in head.upper()
    ):
        raise FeedError("refused: the document declares XML entities (entity expansion attack?)")


def _json_entry(item: dict[str, Any], base_url: str | None) -> FeedEntry:
    link = _absolute(str(item.get("url") or item.get("external_url") or ""), base_url)
    title = html_to_text(str(item.get("title") or ""))
    content_html = item.get("content_html") or ""
    if not content_html and item.get("content_text"):
        content_html = "".join(
            f"<p>{html.escape(p)}</p>" for p in str(item["content_text"]).split("\n\n")
        )
    summary = str(item.get("summary") or "") or html_to_text(content_html)[:300]
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    names = [str(a.get("name")).strip() for a in authors if isinstance(a, dict) and a.get("name")]
    published = None
    stamp = item.get("date_published") or item.get("date_modified")
    if isinstance(stamp, str):
        try:
            published = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(UTC)
        except ValueError:
            published = None
    text = html_to_text(content_html)
    full = (
        content_html
        if len(text) >= FULL_CONTENT_MIN_CHARS and not _TRUNCATION_MARK.search(text)
        else None
    )
    return FeedEntry(
        guid=str(item.get("id") or link or title),
        link=link,
        title=title,
        author=", ".join(names) or None,
        published=published,
        summary=summary,
        content_html=full,
        tags=[str(t) for t in item.get("tags", []) if isinstance(t, str)][:50],
    )


def parse_json_feed(data: bytes, base_url: str | None = None) -> ParsedFeed:
    """A JSON Feed (jsonfeed.org, version 1 or 1.1)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FeedError(f"not a JSON feed: {error}") from None
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise FeedError("not a JSON feed: no list of items")
    items = [i for i in document["items"][:_MAX_JSON_ITEMS] if isinstance(i, dict)]
    return ParsedFeed(
        title=html_to_text(str(document.get("title") or "")),
        link=_absolute(str(document.get("home_page_url") or ""), base_url),
        entries=[_json_entry(item, base_url) for item in items],
    )


def parse_feed(data: bytes, base_url: str | None = None) -> ParsedFeed:
    """Parse RSS, Atom or JSON Feed bytes; raise FeedError when they are not a feed at all."""
    if data.lstrip()[:1] == b"{" and b"jsonfeed.org/version" in data[:4096]:
        return parse_json_feed(data, base_url)
    refuse_entity_declarations(data)
    # We have no HTTP content type to pass on; claiming XML stops feedparser reporting
    # "no Content-type specified" instead of what is actually wrong with the bytes.
    headers = {"content-type": "application/xml"}
    if base_url:
        headers["content-location"] = base_url
    # A stream, never raw bytes: feedparser would try bytes as a file name first.
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers)
    feed = parsed.get("feed", {})
    if not parsed.entries and not feed.get("title"):
        raise FeedError(_not_a_feed_reason(data, parsed))
    return ParsedFeed(
        title=html_to_text(feed.get("title", "")),
        link=_absolute(feed.get("link"), base_url),
        entries=[_entry(entry, base_url) for entry in parsed.entries],
    )


def entry_needs_fetch(entry: FeedEntry) -> bool:
    """True when the feed gave only a teaser, so the article page must be fetched."""
    return entry.content_html is None
