"""Hostile comment text posted through the web: nothing executable reaches the page,
and what the reader wrote survives as text."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

HOSTILE = {
    "script tag": (
        "<script>alert('x')</script> after",
        "&lt;script&gt;alert('x')&lt;/script&gt; after",
    ),
    "event handler": ('<img src=x onerror="alert(1)"> and <b onclick=alert(2)>b</b>', "onerror"),
    "javascript link": ("[click me](javascript:alert(1))", "click me"),
    "entity javascript link": ("[click](jav&#x09;ascript:alert(1))", "click"),
    "data link": ("[d](data:text/html;base64,PHNjcmlwdD4=)", "[d]"),
    "nested markdown": ("**[*x*](javascript:alert(1))**", "x"),
    "autolink": ("<javascript:alert(1)>", "javascript:alert(1)"),
    "html in link text": ('[<svg onload=alert(1)>](https://example.org "t")', "example.org"),
    "very long word": ("a" * 3000, "a" * 3000),
    "rtl override": ("abc\u202etxt.exe", "abc\u202etxt.exe"),
    "zero width joiner": ("family 👨\u200d👩\u200d👧 here", "👨\u200d👩\u200d👧"),
}


def comment_bodies(html: str) -> list[str]:
    return re.findall(r'<div class="comment__body">(.*?)</div>', html, re.S)


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_text_is_inert_on_the_page_and_survives(client, article, owner, case):
    body, survivor = HOSTILE[case]
    client.force_login(owner)
    assert (
        client.post(reverse("comments:post", args=[article.pk]), {"body": body}).status_code == 302
    )
    html = client.get(article.get_absolute_url()).content.decode()
    [rendered] = comment_bodies(html)
    assert survivor in rendered
    lowered = rendered.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<svg" not in lowered
    assert not re.search(r"<[^>]+\son\w+\s*=", lowered)  # no event-handler attribute on any tag
    for href in re.findall(r'href="([^"]*)"', rendered):
        assert href.startswith(("https://", "http://", "mailto:"))
    assert "javascript:" not in "".join(re.findall(r"<[^>]+>", lowered))
    # and the page has no script besides the site's own external files
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('src="/static/' in s or 'type="application/ld+json"' in s for s in scripts)


def test_links_get_rel_nofollow_ugc_noopener(client, article, owner):
    client.force_login(owner)
    client.post(
        reverse("comments:post", args=[article.pk]), {"body": "[site](https://example.org/)"}
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<a href="https://example.org/" rel="nofollow ugc noopener">site</a>' in html


def test_guest_name_is_escaped(client, article):
    from newsdesk.comments.models import Comment

    client.post(
        reverse("comments:post", args=[article.pk]),
        {"body": "hi", "guest_name": "<b onmouseover=x>Eve</b>", "guest_email": "e@example.org"},
    )
    Comment.objects.update(status=Comment.Status.PUBLISHED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "&lt;b onmouseover=x&gt;Eve&lt;/b&gt;" in html
