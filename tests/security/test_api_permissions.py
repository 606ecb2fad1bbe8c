"""Who may call which API operation with a personal token: API_RULES lists every
operation with the answer expected for no token, an unknown token, a reader's token and
an editor's token, and for changes whether they took effect. A token is the only thing
sent: no session and no CSRF token (test_permissions.py covers sessions and CSRF)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from siteworld import World

from newsdesk.api.tokens import issue_token, revoke_token
from newsdesk.comments.models import Comment

pytestmark = pytest.mark.django_db

CALLERS = ("none", "unknown", "reader", "editor")  # whose token is sent, if any


@dataclass(frozen=True)
class ApiRule:
    description: str
    method: str
    url: Callable[[World], str]
    body: Callable[[str], dict] | None
    status: dict[str, int]  # caller -> the answer expected
    happened: Callable[[World, str], bool] | None = None  # for changes: did it take effect?


def public_read(url: Callable[[World], str], caller_matters: bool = True) -> dict:
    """Reads are public. Where the answer depends on the caller (editors also see drafts),
    a token that is unknown or revoked is refused, not taken for anonymous; the catalog
    and search answer the same to everyone and do not look at the token at all."""
    unknown = 401 if caller_matters else 200
    return {"url": url, "body": None, "status": {**dict.fromkeys(CALLERS, 200), "unknown": unknown}}


API_RULES = [
    ApiRule("list articles", "get", **public_read(lambda w: "/api/articles")),
    ApiRule("read an article", "get", **public_read(lambda w: f"/api/articles/{w.article.slug}")),
    ApiRule(
        "read an article's comments",
        "get",
        **public_read(lambda w: f"/api/articles/{w.article.slug}/comments"),
    ),
    ApiRule("list tags", "get", **public_read(lambda w: "/api/tags", caller_matters=False)),
    ApiRule("list sources", "get", **public_read(lambda w: "/api/sources", caller_matters=False)),
    ApiRule("search", "get", **public_read(lambda w: "/api/search?q=matrix", caller_matters=False)),
    ApiRule(
        "read a draft",
        "get",
        lambda w: f"/api/articles/{w.draft.slug}",
        None,
        {"none": 404, "unknown": 401, "reader": 404, "editor": 200},
    ),
    ApiRule(
        "create an article",
        "post",
        lambda w: "/api/articles",
        lambda caller: {"headline": f"API story by {caller}", "body": "A paragraph."},
        {"none": 401, "unknown": 401, "reader": 403, "editor": 201},
        lambda w, caller: (
            type(w.article).objects.filter(headline=f"API story by {caller}").exists()
        ),
    ),
    ApiRule(
        "change an article",
        "patch",
        lambda w: f"/api/articles/{w.article.slug}",
        lambda caller: {"headline": f"Changed by {caller}"},
        {"none": 401, "unknown": 401, "reader": 403, "editor": 200},
        lambda w, caller: (
            type(w.article).objects.get(pk=w.article.pk).headline == f"Changed by {caller}"
        ),
    ),
    ApiRule(
        "post a comment",
        "post",
        lambda w: f"/api/articles/{w.article.slug}/comments",
        lambda caller: {"body": f"Posted by {caller} through the API"},
        {"none": 401, "unknown": 401, "reader": 201, "editor": 201},
        lambda w, caller: Comment.objects.filter(
            body=f"Posted by {caller} through the API"
        ).exists(),
    ),
]


def api_client(world: World, caller: str):
    if caller == "none":
        return Client()
    if caller == "unknown":
        return Client(HTTP_AUTHORIZATION="Bearer nd_this-token-was-never-issued")
    _token, raw = issue_token(world.users[caller], name="matrix")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.mark.parametrize("rule", API_RULES, ids=lambda rule: rule.description)
@pytest.mark.parametrize("caller", CALLERS)
def test_api_token_matrix(world, rule, caller):
    """A token is the only thing sent: no session, no CSRF token."""
    client = api_client(world, caller)
    method = getattr(client, rule.method)
    url = rule.url(world)
    if rule.body is None:
        response = method(url)
    else:
        response = method(url, rule.body(caller), content_type="application/json")
    where = f"{caller} token: {rule.description} ({rule.method.upper()} {url})"
    assert response.status_code == rule.status[caller], (
        f"{where}: {response.status_code} {response.content[:200]!r}"
    )
    if rule.happened is not None:
        allowed = rule.status[caller] < 300
        assert rule.happened(world, caller) == allowed, (
            f"{where}: the change {'did not' if allowed else 'did'} happen"
        )
    if response.status_code == 200 and rule.method == "get":
        text = response.content.decode(errors="replace")
        leaked = [
            secret for secret in world.private_strings_hidden_from("anonymous") if secret in text
        ]
        assert not leaked, f"{where} shows {leaked}"


def test_a_revoked_token_is_refused(world):
    token, raw = issue_token(world.users["editor"], name="revoked")
    revoke_token(token)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.patch(
        f"/api/articles/{world.article.slug}",
        {"headline": "Revoked"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert type(world.article).objects.get(pk=world.article.pk).headline != "Revoked"
