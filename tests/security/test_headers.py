"""Every page carries the security headers, cookies are locked down, and every POST form
refuses a request without its CSRF token. Pages and forms are found by crawling the site,
so a new page or form is covered without touching this file."""

import pytest
from django.test import Client
from siteworld import PASSWORD, crawl

pytestmark = pytest.mark.django_db

# Where the crawl starts, per role: pages only some readers see are reached from here.
START_PAGES = {
    "anonymous": ["/", "/search/?q=matrix", "/accounts/login/", "/accounts/signup/"],
    "reader": ["/", "/accounts/settings/"],
    "moderator": ["/", "/moderation/"],
}


def start_pages(world, role):
    return [
        *START_PAGES[role],
        world.article.get_absolute_url(),
        f"/tags/{world.article.visible_tags[0].slug}/",
        world.article.source.get_absolute_url(),
        f"/accounts/u/{world.users['author'].username}/",
    ]


@pytest.fixture
def crawled(world):
    found = {}
    for role in START_PAGES:
        client = world.client_for(role, raise_request_exception=False)
        pages, forms = crawl(client, start_pages(world, role))
        found[role] = (pages, forms)
    return found


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = [word.lower() for word in words[1:]]
    return directives


def assert_security_headers(response, url):
    csp = response.get("Content-Security-Policy")
    assert csp, f"{url}: no Content-Security-Policy header"
    directives = csp_directives(csp)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, f"{url}: CSP sets no script-src/default-src"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, f"{url}: {csp}"
    assert "*" not in scripts and "data:" not in scripts, f"{url}: {csp}"
    assert directives.get("object-src") == ["'none'"], f"{url}: {csp}"
    assert "base-uri" in directives, f"{url}: {csp}"
    framing = directives.get("frame-ancestors")
    assert framing == ["'none'"] or response.get("X-Frame-Options") == "DENY", url
    assert response.get("X-Frame-Options") in {"DENY", "SAMEORIGIN"}, url
    assert response.get("X-Content-Type-Options") == "nosniff", url
    assert response.get("Referrer-Policy") in {
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    }, url


def test_crawl_reaches_the_main_pages(crawled):
    pages, forms = crawled["anonymous"]
    assert len([html for html in pages.values() if html]) >= 6
    assert any(form.action.endswith("/accounts/login/") for form in forms)


def test_no_page_reached_by_the_crawl_is_a_server_error(crawled):
    errors = [
        f"{role} {url}"
        for role, (pages, _forms) in crawled.items()
        for url, html in pages.items()
        if html.startswith("SERVER ERROR")
    ]
    assert not errors, errors


def test_every_page_has_a_strict_csp_and_the_security_headers(world, crawled):
    for role, (pages, _forms) in crawled.items():
        client = world.client_for(role, raise_request_exception=False)
        for url in pages:
            assert_security_headers(client.get(url), f"{role} {url}")


def test_error_pages_have_the_security_headers_too(client):
    assert_security_headers(client.get("/news/no-such-story/"), "404 page")


def test_every_post_form_refuses_a_request_without_csrf_token(world, crawled):
    checked = set()
    for role, (_pages, forms) in crawled.items():
        for form in forms:
            if (role, form.action) in checked:
                continue
            checked.add((role, form.action))
            client = world.client_for(role, enforce_csrf_checks=True)
            data = {k: v or "x" for k, v in form.fields.items() if k != "csrfmiddlewaretoken"}
            response = client.post(form.action, data)
            assert response.status_code == 403, f"{role}: {form.action} (form on {form.page})"
    assert checked


def test_each_visitor_gets_a_csrf_token_that_works_even_from_a_cached_page(world, crawled):
    """Anonymous pages are cached; a token baked into the cache would lock out everyone else."""
    _pages, forms = crawled["anonymous"]
    for form in {form.action: form for form in forms}.values():
        Client().get(form.page)  # the first visitor fills the page cache
        visitor = Client(enforce_csrf_checks=True)
        response = visitor.get(form.page)
        token = _form_token(response.content.decode(), form.action)
        assert token, f"no CSRF token in the form for {form.action} on {form.page}"
        answer = visitor.post(form.action, {"csrfmiddlewaretoken": token})
        assert answer.status_code != 403, f"{form.action}: a fresh visitor's token was refused"


def _form_token(html: str, action: str) -> str:
    import re

    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


def test_session_and_csrf_cookies_are_locked_down(world):
    client = Client()
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {
            "username": "reader",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        }
        if "csrftoken" in client.cookies
        else {"username": "reader", "password": PASSWORD},
    )
    assert response.status_code == 302, "login with the seeded reader failed"
    session = response.cookies["sessionid"]
    assert session["httponly"]
    assert session["samesite"].lower() in {"lax", "strict"}
    csrf = client.cookies.get("csrftoken")
    if csrf is not None:
        assert csrf["samesite"].lower() in {"lax", "strict"}
