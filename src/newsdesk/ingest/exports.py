"""WordPress (WXR) and Disqus XML exports to plain values. No database here.

Both are read with entity resolution, DTD loading and network access switched off, and a
document that declares entities is refused before parsing (see feeds_parse).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from lxml import etree

from newsdesk.ingest.feeds_parse import FeedError, refuse_entity_declarations
from newsdesk.ingest.htmltext import html_to_paragraphs

WXR_NAMESPACE_PREFIX = "http://wordpress.org/export/"
DISQUS_NAMESPACE = "http://disqus.com"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


class ExportError(Exception):
    """The export cannot be read; the message is one line for a human."""


@dataclass
class ExportComment:
    id: str
    parent_id: str | None
    author_name: str
    author_email: str
    ip_address: str
    created_at: datetime | None
    body_html: str
    status: str  # published | pending | spam | deleted


@dataclass
class ExportPost:
    id: str
    title: str
    link: str
    paragraphs: list[str]
    authors: list[str]
    published_at: datetime | None
    is_published: bool
    tags: list[str] = field(default_factory=list)
    comments: list[ExportComment] = field(default_factory=list)


@dataclass
class WordPressExport:
    site_title: str
    site_link: str
    posts: list[ExportPost]
    skipped_items: int  # pages, attachments, menu items...


@dataclass
class DisqusThread:
    id: str
    link: str
    title: str
    comments: list[ExportComment] = field(default_factory=list)


@dataclass
class DisqusExport:
    threads: list[DisqusThread]


def sniff_export(head: bytes) -> str | None:
    """'wxr', 'disqus' or None, from the first few kilobytes of a file."""
    lowered = head[:8192].lower()
    if b"<rss" in lowered and WXR_NAMESPACE_PREFIX.encode() in lowered:
        return "wxr"
    if b"<disqus" in lowered and DISQUS_NAMESPACE.encode() in lowered:
        return "disqus"
    return None


def _parse_xml(data: bytes):
    try:
        refuse_entity_declarations(data)
    except FeedError as error:
        raise ExportError(str(error)) from None
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        recover=False,
    )
    try:
        return etree.fromstring(data, parser)  # noqa: S320 - entities and DTDs are off
    except etree.XMLSyntaxError as error:
        raise ExportError(f"the XML is malformed ({error})") from None


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element, name: str):
    for child in element:
        if _local(child) == name:
            return child
    return None


def _text(element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _gmt(value: str) -> datetime | None:
    """A WordPress GMT date ("2020-01-02 10:00:00") or an ISO date; naive means UTC."""
    if not value or value.startswith("0000"):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _rfc822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value) if value else None
    except (TypeError, ValueError):
        return None


_WP_STATUS = {
    "1": "published",
    "approve": "published",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "deleted",
    "post-trashed": "deleted",
}


def _wp_comment(element) -> ExportComment | None:
    if _text(element, "comment_type") in ("pingback", "trackback"):
        return None
    parent = _text(element, "comment_parent")
    return ExportComment(
        id=_text(element, "comment_id"),
        parent_id=parent if parent not in ("", "0") else None,
        author_name=_text(element, "comment_author"),
        author_email=_text(element, "comment_author_email"),
        ip_address=_text(element, "comment_author_IP"),
        created_at=_gmt(_text(element, "comment_date_gmt")) or _gmt(_text(element, "comment_date")),
        body_html=_text(element, "comment_content"),
        status=_WP_STATUS.get(_text(element, "comment_approved").lower(), "pending"),
    )


def parse_wxr(data: bytes) -> WordPressExport:
    root = _parse_xml(data)
    channel = _child(root, "channel")
    if _local(root) != "rss" or channel is None:
        raise ExportError("not a WordPress export: no <rss><channel>")
    display_names = {}
    for author in channel:
        if _local(author) == "author":
            login = _text(author, "author_login")
            display_names[login] = _text(author, "author_display_name") or login
    posts, skipped = [], 0
    for item in channel:
        if _local(item) != "item":
            continue
        if _text(item, "post_type") not in ("post", ""):
            skipped += 1
            continue
        categories = [c for c in item if _local(c) == "category"]
        tags = [
            (c.text or "").strip()
            for c in categories
            if c.get("domain") in ("post_tag", "category")
        ]
        tags = [t for t in dict.fromkeys(tags) if t and t.lower() != "uncategorized"]
        creator = _text(item, "creator")
        comments = [_wp_comment(c) for c in item if _local(c) == "comment"]
        posts.append(
            ExportPost(
                id=_text(item, "post_id"),
                title=_text(item, "title"),
                link=_text(item, "link"),
                paragraphs=html_to_paragraphs(_text(item, "encoded")),
                authors=[display_names.get(creator, creator)] if creator else [],
                published_at=_gmt(_text(item, "post_date_gmt")) or _rfc822(_text(item, "pubDate")),
                is_published=_text(item, "status") in ("publish", ""),
                tags=tags,
                comments=[c for c in comments if c is not None],
            )
        )
    return WordPressExport(_text(channel, "title"), _text(channel, "link"), posts, skipped)


def _disqus_comment(post) -> tuple[str, ExportComment]:
    author = _child(post, "author")
    parent = _child(post, "parent")
    thread = _child(post, "thread")
    deleted = _text(post, "isDeleted").lower() == "true"
    spam = _text(post, "isSpam").lower() == "true"
    comment = ExportComment(
        id=post.get(DSQ_ID) or _text(post, "id"),
        parent_id=parent.get(DSQ_ID) if parent is not None else None,
        author_name=_text(author, "name") or _text(author, "username")
        if author is not None
        else "",
        author_email=_text(author, "email") if author is not None else "",
        ip_address=_text(post, "ipAddress"),
        created_at=_gmt(_text(post, "createdAt")),
        body_html=_text(post, "message"),
        status="spam" if spam else "deleted" if deleted else "published",
    )
    return (thread.get(DSQ_ID) if thread is not None else ""), comment


def parse_disqus(data: bytes) -> DisqusExport:
    root = _parse_xml(data)
    if _local(root) != "disqus":
        raise ExportError("not a Disqus export: no <disqus> root")
    threads: dict[str, DisqusThread] = {}
    for element in root:
        if _local(element) == "thread" and element.get(DSQ_ID):
            threads[element.get(DSQ_ID)] = DisqusThread(
                element.get(DSQ_ID), _text(element, "link"), _text(element, "title")
            )
    for element in root:
        if _local(element) == "post":
            thread_id, comment = _disqus_comment(element)
            if thread_id in threads:
                threads[thread_id].comments.append(comment)
    return DisqusExport(list(threads.values()))
