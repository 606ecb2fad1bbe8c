"""A small site with one reader in every role, and the tools to walk all of its URLs and forms.

Shared by the security suites (headers, CSRF, permissions, privacy). Everything that
should never leave the moderator views (IP addresses, e-mail addresses) is seeded with
values that are easy to grep for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.contrib.auth.models import Group, Permission, User
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory
from newsdesk.comments.markup import render_comment
from newsdesk.comments.models import Comment
from newsdesk.moderation.models import Ban, BannedPhrase

ROLES = ("anonymous", "reader", "author", "moderator", "editor", "administrator")
PASSWORD = "correct horse battery staple 9"
SEEDED_IPS = ("198.51.100.23", "203.0.113.77", "2001:db8::5")
# Whose comment carries which seeded address: a reader may see their own, nobody else's.
IP_OWNERS = {SEEDED_IPS[0]: "author", SEEDED_IPS[1]: "guest", SEEDED_IPS[2]: "reader"}
GUEST_EMAIL = "guest.private@example.net"
EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("article", "tag", "source", "author", "articletag")
    for action in ("view", "add", "change", "delete")
]


@dataclass
class World:
    users: dict[str, User | None]
    article: Article
    draft: Article
    comment: Comment
    guest_comment: Comment
    emails: dict[str, str] = field(default_factory=dict)
    banned_phrase: BannedPhrase | None = None
    ban: Ban | None = None

    def client_for(self, role: str, **kwargs) -> Client:
        client = Client(**kwargs)
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client

    def private_strings_hidden_from(self, role: str) -> list[str]:
        """IPs and the e-mail addresses of everyone but the viewer."""
        own = self.emails.get(role)
        ips = [ip for ip, owner in IP_OWNERS.items() if owner != role]
        return [*ips, *(email for email in self.emails.values() if email != own)]


def build_world() -> World:
    moderators, _ = Group.objects.get_or_create(name="moderators")
    editors, _ = Group.objects.get_or_create(name="editors")
    editors.permissions.set(Permission.objects.filter(codename__in=EDITOR_PERMISSIONS))
    users: dict[str, User | None] = {"anonymous": None}
    emails = {}
    for role in ROLES[1:]:
        email = f"{role}.private@example.com"
        emails[role] = email
        if role == "administrator":
            user = User.objects.create_superuser(role, email, PASSWORD)
        else:
            user = User.objects.create_user(role, email, PASSWORD)
        if role == "moderator":
            user.groups.add(moderators)
        if role == "editor":
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(editors)
        users[role] = user
    emails["guest"] = GUEST_EMAIL
    source = SourceFactory(name="Matrix Wire")
    article = ArticleFactory(source=source, tag_names=["Matrix Topic"], headline="Matrix story")
    draft = ArticleFactory(source=source, status=Article.Status.DRAFT, headline="Draft story")
    comment = Comment.objects.create(
        article=article,
        author=users["author"],
        body="The author's comment",
        body_html=render_comment("The author's comment"),
        ip_address=SEEDED_IPS[0],
        user_agent="Mozilla/5.0 (seeded agent)",
    )
    guest_comment = Comment.objects.create(
        article=article,
        guest_name="A guest",
        guest_email=GUEST_EMAIL,
        body="A guest's comment",
        body_html=render_comment("A guest's comment"),
        ip_address=SEEDED_IPS[1],
    )
    Comment.objects.create(
        article=article,
        author=users["reader"],
        body="Held for review",
        body_html=render_comment("Held for review"),
        status=Comment.Status.PENDING,
        ip_address=SEEDED_IPS[2],
    )
    Article.objects.filter(pk=article.pk).update(comment_count=2)
    # A banned phrase and a ban, so that their pages and actions are walked too.
    banned_phrase = BannedPhrase.objects.create(text="matrixbannedword")
    ban = Ban.objects.create(
        kind=Ban.Kind.EMAIL, value="banned.matrix@example.net", reason="seeded", created_by=None
    )
    return World(
        users, article, draft, comment, guest_comment, emails, banned_phrase=banned_phrase, ban=ban
    )


# --- every URL pattern, with its arguments filled in ----------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route text for unnamed patterns
    route: str  # the pattern text, for messages
    arguments: tuple[str, ...]
    named: bool = True


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, namespace: str, prefix: str, arguments: tuple[str, ...]):
        for pattern in patterns:
            own = tuple(_pattern_arguments(pattern))
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                space = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                walk(pattern.url_patterns, space.strip(":"), text, arguments + own)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}".strip(":") if pattern.name else text
                routes.append(Route(name, text, arguments + own, bool(pattern.name)))

    walk(get_resolver().url_patterns, "", "/", ())
    return routes


def _pattern_arguments(pattern) -> list[str]:
    converters = getattr(pattern.pattern, "converters", None)
    if converters:
        return list(converters)
    regex = getattr(pattern.pattern, "_regex", "")
    return list(re.compile(regex).groupindex) if regex else []


# --- crawling pages for links and forms ---------------------------------------------------------


@dataclass
class Form:
    page: str
    action: str
    fields: dict[str, str]


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "form":
            method = (attributes.get("method") or "get").lower()
            self._form = Form("", attributes.get("action") or "", {}) if method == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
        elif tag in {"input", "textarea", "select", "button"} and self._form is not None:
            name = attributes.get("name")
            if name and attributes.get("type") not in {"submit", "button", "image"}:
                self._form.fields[name] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def crawl(client: Client, start: list[str], limit: int = 60) -> tuple[dict[str, str], list[Form]]:
    """Same-site HTML pages reachable from ``start`` (admin and static left out)."""
    pages: dict[str, str] = {}
    forms: list[Form] = []
    queue = list(start)
    variants: dict[str, int] = {}  # ?next=, ?sort=, ?page= variants of one path
    while queue and len(pages) < limit:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        if response.status_code >= 500:
            pages[url] = f"SERVER ERROR {response.status_code}"
            continue
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            pages[url] = ""
            continue
        html = response.content.decode()
        pages[url] = html
        parser = _PageParser()
        parser.feed(html)
        for form in parser.forms:
            form.page = url
            form.action = urljoin(url, form.action) if form.action else url
            forms.append(form)
        for href in parser.links:
            target = urlsplit(urljoin(url, href))
            if target.netloc or not target.path.startswith("/"):
                continue
            if target.path.startswith(("/admin/", "/static/")) or "logout" in target.path:
                continue
            link = target.path + (f"?{target.query}" if target.query else "")
            if link not in pages and link not in queue:
                variants[target.path] = variants.get(target.path, 0) + 1
                if variants[target.path] <= 3:
                    queue.append(link)
    return pages, forms
