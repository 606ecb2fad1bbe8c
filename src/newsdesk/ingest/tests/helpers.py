"""Builders for ingestion tests: article text, HTML pages, feeds, a local HTTP server."""

from __future__ import annotations

import json
import random
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = [
    "council",
    "harbour",
    "budget",
    "minister",
    "election",
    "court",
    "ruling",
    "police",
    "river",
    "bridge",
    "school",
    "teacher",
    "hospital",
    "nurse",
    "strike",
    "union",
    "wage",
    "price",
    "market",
    "bank",
    "rate",
    "inflation",
    "farmer",
    "harvest",
    "storm",
    "flood",
    "road",
    "rail",
    "station",
    "airport",
    "flight",
    "border",
    "trade",
    "export",
    "import",
    "factory",
    "worker",
    "energy",
    "power",
    "grid",
    "wind",
    "solar",
    "coal",
    "gas",
    "oil",
    "climate",
    "summit",
    "treaty",
    "talks",
    "ceasefire",
    "army",
    "village",
    "city",
    "mayor",
    "vote",
    "party",
    "leader",
    "opposition",
    "protest",
    "crowd",
    "square",
    "report",
    "survey",
    "study",
    "data",
    "museum",
    "festival",
    "film",
    "music",
    "team",
    "match",
    "coach",
    "goal",
    "season",
    "league",
    "player",
    "fans",
    "ticket",
    "stadium",
    "water",
    "supply",
    "drought",
    "forest",
    "fire",
    "rescue",
    "emergency",
    "shelter",
    "family",
    "children",
    "parents",
    "housing",
    "rent",
    "tenant",
]


def story_text(seed: int, paragraphs: int = 6, words: int = 40) -> list[str]:
    """Paragraphs of plausible-looking news prose, different for every seed."""
    rng = random.Random(seed)
    out = []
    for _ in range(paragraphs):
        chosen = [rng.choice(WORDS) for _ in range(words)]
        out.append(" ".join(chosen).capitalize() + ".")
    return out


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    site: str = "Harbour Times",
    author: str = "Ann Reporter",
    published: str = "2024-03-05T09:30:00+01:00",
    url: str = "https://harbour.example/news/story",
    keywords=("Port", "Budget"),
    lang: str = "en",
) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "author": {"@type": "Person", "name": author},
        "datePublished": published,
        "publisher": {"@type": "Organization", "name": site},
        "keywords": list(keywords),
    }
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">
<title>{title} | {site}</title><link rel="canonical" href="{url}">
<meta property="og:site_name" content="{site}"><meta property="og:title" content="{title}">
<script type="application/ld+json">{json.dumps(ld)}</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<div class="advert">Buy our sponsored product today with a discount</div>
<article><h1>{title}</h1><p class="byline">By {author}</p>{body}</article>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Another headline entirely</a></li></ul></aside>
<footer>Copyright 2024 {site}. All rights reserved.</footer></body></html>"""


def rss(items: list[dict], title: str = "Harbour Times") -> bytes:
    entries = []
    for item in items:
        content = (
            f"<content:encoded><![CDATA[{item['content']}]]></content:encoded>"
            if item.get("content")
            else ""
        )
        entries.append(
            f"<item><title>{item['title']}</title><link>{item['link']}</link><guid>{item['guid']}</guid>"
            f"<description>{item.get('summary', 'A short teaser...')}</description>{content}"
            f"<pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        f'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>{title}</title>'
        f"<link>https://harbour.example/</link>{''.join(entries)}</channel></rss>"
    ).encode()


class LocalServer:
    """http.server on 127.0.0.1 in a thread. routes: path -> handler(request) or
    (status, headers, body). Records the request headers of every hit."""

    def __init__(self) -> None:
        self.routes: dict = {}
        self.hits: list[tuple[str, dict]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.hits.append((self.path, dict(self.headers)))
                route = owner.routes.get(self.path)
                if route is None:
                    self.send_error(404)
                    return
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def __enter__(self) -> LocalServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
