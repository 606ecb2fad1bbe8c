"""Who may read and who may change what: every URL of the site × every kind of reader.

Two tables drive it. READ_RULES says, per URL name (first matching pattern wins), what a
GET answers each role; every URL the resolver knows must match a row, so a new page
without a row fails `test_every_url_has_a_row_in_the_read_matrix` until someone decides
who may see it. CHANGE_RULES lists the actions that change something, who may do them,
and how to tell that they happened. Add rows to both as pages and actions appear; the API
called with personal tokens has its own table in test_api_permissions.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from siteworld import ROLES, Route, World, all_routes

from newsdesk.articles.models import Tag
from newsdesk.comments.models import Comment
from newsdesk.feeds.sitemaps import SITEMAPS
from newsdesk.moderation.models import Ban, BannedPhrase, Report

pytestmark = pytest.mark.django_db

# --- what a GET may answer ---------------------------------------------------------------

OK = "ok"  # 200 (or a redirect that is not to a login page)
LOGIN = "login"  # a redirect to a login page
DENIED = "denied"  # 403, 404, or a redirect to a login page: anything but the content
ANY = "any"  # whatever the page decides, as long as it is not a server error
STAFF_PAGE = "staff"  # 200, or 403 for an editor lacking that model's permission


def everyone(outcome: str = OK) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def only(*roles: str, others: str = DENIED) -> dict[str, str]:
    rules = {role: (OK if role in roles else others) for role in ROLES}
    if "anonymous" not in roles:
        rules["anonymous"] = LOGIN if others == DENIED else others
    return rules


ADMIN_ONLY_STAFF = {
    **dict.fromkeys(ROLES, LOGIN),
    "editor": STAFF_PAGE,
    "administrator": STAFF_PAGE,
}

READ_RULES: list[tuple[str, dict[str, str]]] = [
    (
        r"^admin:(login|logout|password_change|password_change_done|jsi18n|autocomplete)$",
        everyone(ANY),
    ),
    (r"^admin:view_on_site$", {**ADMIN_ONLY_STAFF, "editor": ANY, "administrator": ANY}),
    (r"^admin:(index|app_list|\w+_changelist)$", {**ADMIN_ONLY_STAFF, "administrator": OK}),
    (r"^admin:", ADMIN_ONLY_STAFF),  # add/change/delete: 403 where a model is read-only
    (r"^articles:", everyone(OK)),
    (r"^search:", everyone(OK)),
    (r"^feeds:", everyone(OK)),
    (r"^enrich:", everyone(OK)),
    (r"^accounts:(settings|export|delete|password_change)$", only(*ROLES[1:])),
    (r"^accounts:profile$", everyone(OK)),
    (r"^accounts:", everyone(ANY)),  # sign-up, login, reset, confirm: forms for anyone
    (r"^comments:edit$", only("author")),
    (r"^comments:delete$", only("author", "moderator", "editor", "administrator")),
    (r"^comments:permalink$", everyone(OK)),
    (r"^comments:(post|recommend|unsubscribe)$", everyone(ANY)),  # POST-only or token links
    # Any signed-in reader reports a comment, except its own author.
    (r"^moderation:report$", only("reader", "moderator", "editor", "administrator")),
    (
        r"^moderation:(act|bulk|phrase_delete|ban_lift)$",
        everyone(ANY),
    ),  # POST-only: see CHANGE_RULES
    (r"^moderation:", only("moderator", "editor", "administrator")),  # moderators and staff
    (r"^api:", everyone(ANY)),  # reads are public; rows for editor-only reads go above this
]


def read_rule(name: str) -> dict[str, str] | None:
    for pattern, rule in READ_RULES:
        if re.search(pattern, name):
            return rule
    return None


# Pages of objects the seeded site has only when enrichment made them: the first one, if any.
SLUG_OF_FIRST = {"enrich:person": "enrich.Entity", "enrich:story": "enrich.Story"}
# Ids of rows in moderation's tables (siteworld seeds a banned phrase and a ban).
ID_OF_FIRST = {"phrase_id": "moderation.BannedPhrase", "ban_id": "moderation.Ban"}


def url_arguments(route: Route, world: World) -> dict[str, object] | None:
    """Real objects of the seeded site for the URL's arguments (None: cannot fill)."""
    by_name = {
        "articles:tag": {"slug": world.article.visible_tags[0].slug},
        "articles:source": {"slug": world.article.source.slug},
        "admin:app_list": {"app_label": "articles"},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(world.article).pk,
            "object_id": world.article.pk,
        },
    }
    if route.name in by_name:
        return by_name[route.name]
    if route.name in SLUG_OF_FIRST:
        first = apps.get_model(SLUG_OF_FIRST[route.name]).objects.order_by("pk").first()
        return {"slug": first.slug} if first is not None else None
    slug = world.article.slug
    if re.search(r"(^|\W|_)tags?(\W|_|$)", route.name):
        slug = world.article.visible_tags[0].slug
    elif re.search(r"(^|\W|_)sources?(\W|_|$)", route.name):
        slug = world.article.source.slug
    generic = {
        "slug": slug,
        "section": next(iter(SITEMAPS)),
        "key": world.article.slug,
        "article_id": world.article.pk,
        "comment_id": world.comment.pk,
        "username": world.users["author"].username,
        "token": "not-a-valid-token",
        "uidb64": "MQ",
        "action": "approve",
    }
    for argument, model in ID_OF_FIRST.items():
        if argument in route.arguments:
            first = apps.get_model(model).objects.order_by("pk").first()
            if first is None:
                return None
            generic[argument] = first.pk
    admin_object = re.match(r"^admin:(\w+?)_(\w+)_(change|delete|history)$", route.name)
    if admin_object:
        model = _admin_model(admin_object.group(1), admin_object.group(2))
        first = model.objects.order_by("pk").first() if model else None
        if first is None:
            return None
        generic["object_id"] = first.pk
    if all(argument in generic for argument in route.arguments):
        return {argument: generic[argument] for argument in route.arguments}
    return None


def _admin_model(app_label: str, model_name: str):
    # App labels may hold underscores too ("django_tasks_db_dbtaskresult"): try each split.
    name = f"{app_label}_{model_name}"
    for index in [i for i, char in enumerate(name) if char == "_"]:
        try:
            return apps.get_model(name[:index], name[index + 1 :])
        except (LookupError, ValueError):
            continue
    return None


def concrete_urls(world: World) -> list[tuple[Route, str]]:
    urls = []
    for route in all_routes():
        if not route.named:
            continue  # unnamed catch-alls: nothing links to them
        arguments = url_arguments(route, world)
        if arguments is None:
            continue
        try:
            urls.append((route, reverse(route.name, kwargs=arguments or None)))
        except NoReverseMatch:
            continue
    return urls


def check_outcome(outcome: str, response, where: str) -> None:
    status = response.status_code
    location = response.get("Location", "")
    assert status < 500, f"{where}: server error {status}"
    to_login = status == 302 and "login" in location
    if outcome == OK:
        assert status in (200, 301, 302, 304) and not to_login, f"{where}: {status} {location}"
    elif outcome == LOGIN:
        assert to_login, f"{where}: expected a redirect to log in, got {status} {location}"
    elif outcome == DENIED:
        assert status in (403, 404, 405) or to_login, f"{where}: expected no access, got {status}"
    elif outcome == STAFF_PAGE:
        assert status in (200, 302, 403), f"{where}: {status}"
        assert not to_login, f"{where}: a staff member was sent to log in"


# --- the tests ------------------------------------------------------------------------------


def test_every_url_has_a_row_in_the_read_matrix(world):
    missing = [
        route.name for route in all_routes() if route.named and read_rule(route.name) is None
    ]
    assert not missing, f"add rows to READ_RULES for: {missing}"


def test_every_named_url_can_be_filled_from_the_seeded_site(world):
    filled = {route.name for route, _url in concrete_urls(world)}
    unfilled = [
        route.name
        for route in all_routes()
        if route.named
        and route.name not in filled
        and not route.name.startswith("admin:")  # admin views of models without rows
        and route.name not in SLUG_OF_FIRST  # the seeded site has the phrase and the ban
    ]
    assert not unfilled, f"teach url_arguments() how to fill: {unfilled}"


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(world, role):
    """Each role gets exactly the pages its row allows, and never someone else's IP or e-mail."""
    client = world.client_for(role)
    hidden = world.private_strings_hidden_from(role)
    checked = 0
    for route, url in concrete_urls(world):
        rule = read_rule(route.name)
        if rule is None:
            continue
        response = client.get(url)
        check_outcome(rule[role], response, f"{role} GET {url} ({route.name})")
        checked += 1
        if url.startswith(("/admin/", "/moderation/")) or response.status_code != 200:
            continue
        body = b"".join(response) if response.streaming else response.content
        text = body.decode(errors="replace")
        leaked = [secret for secret in hidden if secret in text]
        assert not leaked, f"{role} GET {url} shows {leaked}"
    assert checked > 20


def test_drafts_are_hidden_from_readers(world):
    url = reverse("articles:detail", args=[world.draft.slug])
    for role in ("anonymous", "reader", "author", "moderator"):
        assert world.client_for(role).get(url).status_code == 404, role


# --- who may change what ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRule:
    description: str
    url: Callable[[World], str]
    data: Callable[[World, str], dict]
    allowed: frozenset[str]
    happened: Callable[[World, str], bool]  # did the change take effect?


CHANGE_RULES = [
    ChangeRule(
        "edit the author's comment",
        lambda w: reverse("comments:edit", args=[w.comment.pk]),
        lambda w, role: {"body": f"rewritten by {role}"},
        frozenset({"author"}),
        lambda w, role: Comment.objects.get(pk=w.comment.pk).body == f"rewritten by {role}",
    ),
    ChangeRule(
        "delete the author's comment",
        lambda w: reverse("comments:delete", args=[w.comment.pk]),
        lambda w, role: {},
        frozenset({"author", "moderator", "editor", "administrator"}),
        lambda w, role: Comment.objects.get(pk=w.comment.pk).status == Comment.Status.DELETED,
    ),
    ChangeRule(
        "reject the author's comment in the moderation queue",
        lambda w: reverse("moderation:act", args=[w.comment.pk, "reject"]),
        lambda w, role: {},
        frozenset({"moderator", "editor", "administrator"}),
        lambda w, role: Comment.objects.get(pk=w.comment.pk).status == Comment.Status.REJECTED,
    ),
    ChangeRule(
        "delete a tag in the back office",
        lambda w: reverse("admin:articles_tag_delete", args=[w.article.visible_tags[0].pk]),
        lambda w, role: {"post": "yes"},
        frozenset({"editor", "administrator"}),
        lambda w, role: not Tag.objects.filter(name="Matrix Topic").exists(),
    ),
    ChangeRule(
        "change the article's headline through the API",
        lambda w: f"/api/articles/{w.article.slug}",
        lambda w, role: {"__json__": {"headline": f"Headline by {role}"}, "__method__": "patch"},
        frozenset({"editor", "administrator"}),  # editors: group "editors" or change_article
        lambda w, role: (
            type(w.article).objects.get(pk=w.article.pk).headline == f"Headline by {role}"
        ),
    ),
    ChangeRule(
        "report the author's comment",
        lambda w: reverse("moderation:report", args=[w.comment.pk]),
        lambda w, role: {"reason": "abuse", "text": f"reported by {role}"},
        frozenset({"reader", "moderator", "editor", "administrator"}),  # not its own author
        lambda w, role: Report.objects.filter(
            comment=w.comment, text=f"reported by {role}"
        ).exists(),
    ),
    ChangeRule(
        "reject the author's comment with a bulk action",
        lambda w: reverse("moderation:bulk"),
        lambda w, role: {"action": "reject", "ids": [w.comment.pk]},
        frozenset({"moderator", "editor", "administrator"}),
        lambda w, role: Comment.objects.get(pk=w.comment.pk).status == Comment.Status.REJECTED,
    ),
    ChangeRule(
        "add a banned phrase",
        lambda w: reverse("moderation:phrases"),
        lambda w, role: {"text": f"phrase by {role}", "match": "word"},
        frozenset({"moderator", "editor", "administrator"}),
        lambda w, role: BannedPhrase.objects.filter(text=f"phrase by {role}").exists(),
    ),
    ChangeRule(
        "delete the banned phrase",
        lambda w: reverse("moderation:phrase_delete", args=[w.banned_phrase.pk]),
        lambda w, role: {},
        frozenset({"moderator", "editor", "administrator"}),
        lambda w, role: not BannedPhrase.objects.filter(pk=w.banned_phrase.pk).exists(),
    ),
    ChangeRule(
        "ban an e-mail address",
        lambda w: reverse("moderation:bans"),
        lambda w, role: {"kind": "email", "value": f"{role}@ban.example.net", "reason": role},
        frozenset({"moderator", "editor", "administrator"}),
        lambda w, role: Ban.objects.filter(value=f"{role}@ban.example.net").exists(),
    ),
    ChangeRule(
        "lift the ban",
        lambda w: reverse("moderation:ban_lift", args=[w.ban.pk]),
        lambda w, role: {},
        frozenset({"moderator", "editor", "administrator"}),
        lambda w, role: not Ban.objects.filter(pk=w.ban.pk).exists(),
    ),
]


@pytest.mark.parametrize("rule", CHANGE_RULES, ids=lambda rule: rule.description)
@pytest.mark.parametrize("role", ROLES)
def test_change_matrix(world, rule, role):
    client = world.client_for(role)
    data = rule.data(world, role)
    if "__json__" in data:
        method = getattr(client, data["__method__"])
        response = method(rule.url(world), data["__json__"], content_type="application/json")
    else:
        response = client.post(rule.url(world), data)
    assert response.status_code < 500, f"{role}: {rule.description}: {response.status_code}"
    assert rule.happened(world, role) == (role in rule.allowed), (
        f"{role} {'could not' if role in rule.allowed else 'could'} {rule.description} "
        f"(answer {response.status_code})"
    )


def test_api_writes_with_a_session_need_the_csrf_token(world):
    client = world.client_for("editor", enforce_csrf_checks=True)
    response = client.patch(
        f"/api/articles/{world.article.slug}",
        {"headline": "Forged"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert type(world.article).objects.get(pk=world.article.pk).headline != "Forged"
