"""Doors of hostile text that a source controls: external feeds and imported files.

The feeds are served over real HTTP from a server on 127.0.0.1 (a thread, stopped before
the door returns) and taken in by ``newsdesk.ingest.polling.poll_feed``, the worker's own
code path, so every parser and extractor between the wire and the page is exercised.
"""

from __future__ import annotations

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote
from xml.sax.saxutils import escape

from django.contrib.auth.models import User

from newsdesk.articles.models import Article

FILLER = " ".join(["hostile words make a long enough article body"] * 20)


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _header_safe(text: str) -> str:
    """A reason phrase an HTTP status line can carry: one line of latin-1."""
    return "".join(c for c in text if " " <= c <= "~")[:120] or "hostile"


class _LocalSite:
    """A tiny web server for fixture bytes: path -> (status, reason, content type, body)."""

    def __init__(self):
        self.routes: dict[str, tuple[int, str, str, bytes]] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - the stdlib's name
                status, reason, content_type, body = routes.get(
                    self.path, (404, "Not Found", "text/plain", b"no such page")
                )
                self.send_response(status, reason)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def _rss(payloads: list[str], base: str) -> bytes:
    items = []
    for n, text in enumerate(payloads):
        title = _cdata(text) if n % 2 else escape(text)
        if n % 3 == 0:  # a teaser only: the poller fetches and extracts the linked page
            description = _cdata(f"Teaser {n}: {text}")
            link = f"{base}/story-{n}.html"
        else:  # the whole story in the feed
            description = _cdata(f"<p>Feed story {n}: {text}</p><p>{text}</p><p>{FILLER}</p>")
            # Percent-encoded: a raw space in a link crashes the poll (see test_feed_robustness).
            link = f"{base}/item-{n}?q={quote(text[:30])}"
        items.append(
            f"<item><title>{title}</title><link>{link}</link>"
            f"<guid isPermaLink='false'>hostile-rss-{n}</guid>"
            f"<dc:creator>{escape(payloads[-n - 1][:100])}</dc:creator>"
            f"<category>{escape(payloads[(n + 3) % len(payloads)][:100])}</category>"
            f"<description>{description}</description></item>"
        )
    # One entry without a title: its guid (hostile) lands in the feed's error log.
    items.append(
        f"<item><guid isPermaLink='false'>{escape(payloads[0])}</guid>"
        f"<description>{_cdata(FILLER)}</description></item>"
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?>"
        "<rss version='2.0' xmlns:dc='http://purl.org/dc/elements/1.1/'><channel>"
        f"<title>{escape(payloads[1])}</title><link>{base}/</link>"
        f"<description>{escape(payloads[2])}</description>{''.join(items)}</channel></rss>"
    ).encode()


def _linked_page(n: int, text: str, payloads: list[str]) -> bytes:
    paragraphs = "".join(f"<p>Linked page {n}: {p}</p>" for p in payloads)
    return (
        f"<html><head><title>{text}</title><meta name='author' content=\"{text[:80]}\">"
        f"</head><body><article><h1>{text}</h1>{paragraphs}<p>{FILLER}</p></article></body></html>"
    ).encode()


def _json_feed(payloads: list[str], base: str) -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": payloads[0],
            "home_page_url": base + "/",
            "items": [
                {
                    "id": f"hostile-json-{n}",
                    "url": f"{base}/json-{n}",
                    "title": text,
                    "content_html": f"<p>JSON story {n}: {text}</p><p>{FILLER}</p>",
                    "authors": [{"name": payloads[-n - 1][:100]}],
                    "tags": [payloads[(n + 1) % len(payloads)][:100]],
                }
                for n, text in enumerate(payloads)
            ],
        }
    ).encode()


def via_external_feeds(payloads, site, tmp):
    """Titles, entries, authors, categories and errors of polled RSS and JSON feeds."""
    from newsdesk.ingest.models import FeedErrorLog, FeedItem
    from newsdesk.ingest.polling import poll_feed
    from newsdesk.ingest.services import add_feed

    rss_payloads, json_payloads = payloads[:24], payloads[24:36]
    with _LocalSite() as web:
        web.routes["/feed.rss"] = (200, "OK", "application/rss+xml", _rss(rss_payloads, web.base))
        web.routes["/feed.json"] = (
            200,
            "OK",
            "application/feed+json",
            _json_feed(json_payloads, web.base),
        )
        for n, text in enumerate(rss_payloads):
            if n % 3 == 0:
                page = _linked_page(n, text, rss_payloads[n : n + 5])
                web.routes[f"/story-{n}.html"] = (200, "OK", "text/html; charset=utf-8", page)
        # A feed that fails with a hostile reason phrase: it becomes the feed's last error.
        web.routes["/broken.rss"] = (500, _header_safe(payloads[3]), "text/plain", b"")
        feeds = [
            add_feed(f"{web.base}/feed.rss", source_name=rss_payloads[0][:100] or "x")[0],
            add_feed(f"{web.base}/feed.json", source_name=json_payloads[0][:100] or "y")[0],
            add_feed(f"{web.base}/broken.rss", source_name=payloads[4][:100] or "z")[0],
        ]
        for feed in feeds:
            poll_feed(feed)
    taken = Article.objects.filter(
        pk__in=FeedItem.objects.filter(feed__in=feeds).values("article_id"),
        status=Article.Status.PUBLISHED,
    ).order_by("pk")
    assert taken.count() >= 20, f"the hostile feeds gave only {taken.count()} articles"
    assert FeedErrorLog.objects.filter(feed=feeds[0]).exists(), "the untitled entry was taken"
    site.pages += [article.get_absolute_url() for article in taken[:12]]
    site.pages += [feed.source.get_absolute_url() for feed in feeds if feed.source_id]
    admin = administrator()
    site.signed_in.setdefault(admin.username, [])
    site.signed_in[admin.username] += [
        "/admin/ingest/feed/",
        *(f"/admin/ingest/feed/{feed.pk}/change/" for feed in feeds),
    ]


def via_imported_files(payloads, site, tmp):
    """HTML (.html, .htm, .html.gz) and page-text files through ``import_paths``, the code
    path of ``newsdesk import DIRECTORY``."""
    from newsdesk.ingest.importer import import_paths

    folder = tmp / "hostile-import"
    folder.mkdir()
    for n, group in enumerate(_chunks(payloads[40:], 20)[:6]):
        title, author, keyword, *rest = group
        body = "".join(
            f"<p>Imported paragraph {n}.{i}: {text}</p>"
            f"<p><a href='javascript:alert(\"{i}\")'>{text[:40]}</a>"
            f"<img src=x onerror='alert({i})' alt=\"{text[:40]}\"></p>"
            for i, text in enumerate(rest)
        )
        page = (
            "<!doctype html><html><head>"
            f"<title>{title}</title>"
            f"<meta property='og:title' content=\"{title[:120]}\">"
            f"<meta name='author' content=\"{author[:80]}\">"
            f"<meta name='keywords' content=\"{keyword[:80]}\">"
            "<script>window.__xss__=1</script>"
            f"<script type='application/ld+json'>{json.dumps({'headline': title})}</script>"
            f"</head><body onload='alert(1)'><article><h1>{title}</h1>{body}<p>{FILLER}</p>"
            "</article></body></html>"
        ).encode()
        if n % 3 == 0:
            (folder / f"hostile-{n}.html").write_bytes(page)
        elif n % 3 == 1:
            (folder / f"hostile-{n}.htm").write_bytes(page)
        else:
            (folder / f"hostile-{n}.html.gz").write_bytes(gzip.compress(page))
    text_file = "\n\n".join(
        [
            payloads[60][:250] or "x",
            payloads[61][:50] or "y",
            *payloads[62:70],
            "Tags",
            "\n".join(t.replace(",", " ")[:100] for t in payloads[70:75]),
        ]
    )
    (folder / "hostile-page-text.txt").write_text(text_file + "\n", "utf-8")
    outcomes = import_paths([str(folder)])
    imported = [o.article_id for o in outcomes if o.article_id]
    assert len(imported) >= 5, [(o.path, o.status, o.reason) for o in outcomes]
    site.pages += [Article.objects.get(pk=pk).get_absolute_url() for pk in imported]


def _chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def administrator() -> User:
    """The superuser who reads the back-office pages of the hostile site."""
    admin = User.objects.filter(username="hostile-admin").first()
    if admin is None:
        admin = User.objects.create_superuser("hostile-admin", "ha@example.org", "pw-hostile-a-1")
    return admin
