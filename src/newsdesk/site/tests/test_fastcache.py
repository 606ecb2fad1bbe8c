"""The WSGI fast path (newsdesk.site.fastcache): same answer as Django, never stale."""

import re

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import RequestFactory

from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments import services
from newsdesk.site.fastcache import FastPageCache
from newsdesk.site.pagecache import bump_content_version

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


class CountingDjango:
    """Django's WSGI handler, counting the requests that reached it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


def call(app, path, **headers):
    environ = RequestFactory().get(path, headers=headers).environ
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = status, response_headers

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def header(headers, name):
    return [v for n, v in headers if n.lower() == name.lower()]


@pytest.fixture
def site(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.COMMENTS_HOLD_GUESTS = False
    bump_content_version()
    django = CountingDjango()
    return django, FastPageCache(django)


@pytest.fixture
def article(db):
    return ArticleFactory(headline="Talks in Helsinki")


def test_a_repeated_anonymous_request_is_answered_without_django(site, article):
    django, app = site
    call(app, article.get_absolute_url())
    status, headers, body = call(app, article.get_absolute_url())
    assert django.calls == 1
    assert status == "200 OK"
    assert b"Talks in Helsinki" in body


def test_the_fast_answer_equals_djangos_but_for_the_csrf_token(site, article):
    django, app = site
    call(app, article.get_absolute_url())  # Django renders and stores the page
    other_worker = FastPageCache(django)
    _, django_headers, django_body = call(other_worker, article.get_absolute_url())
    _, fast_headers, fast_body = call(other_worker, article.get_absolute_url())
    assert django.calls == 2
    assert header(django_headers, "X-Page-Cache") == ["hit"]  # Django's own cache hit
    assert TOKEN.sub(b"", fast_body) == TOKEN.sub(b"", django_body)

    def comparable(headers):
        return sorted((n, v) for n, v in headers if n.lower() not in ("set-cookie", "date"))

    assert comparable(fast_headers) == comparable(django_headers)
    for name in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert header(fast_headers, name)


def test_each_reader_gets_a_fresh_token_matching_the_csrf_cookie(site, article):
    _, app = site
    for _ in range(2):
        call(app, article.get_absolute_url())
    _, headers, body = call(app, article.get_absolute_url())
    cookie = header(headers, "Set-Cookie")[0]
    secret = re.match(r"csrftoken=([A-Za-z0-9]{32});", cookie).group(1)
    assert _unmask_cipher_token(TOKEN.search(body).group(1).decode()) == secret
    # A reader who already has a cookie keeps its secret, with a new mask.
    _, headers, again = call(app, article.get_absolute_url(), cookie=f"csrftoken={secret}")
    assert header(headers, "Set-Cookie")[0].startswith(f"csrftoken={secret};")
    assert TOKEN.search(again).group(1) != TOKEN.search(body).group(1)
    assert _unmask_cipher_token(TOKEN.search(again).group(1).decode()) == secret


def test_a_new_comment_is_visible_on_the_next_request(site, article):
    django, app = site
    for _ in range(3):
        call(app, article.get_absolute_url())
    calls = django.calls
    result = services.post_comment(
        article, body="A fresh view", guest_name="Ivo", guest_email="ivo@example.org"
    )
    assert result.comment.status == "published"
    _, _, body = call(app, article.get_absolute_url())
    assert django.calls == calls + 1
    assert b"A fresh view" in body
    assert b"Comments (1)" in body


def test_a_bump_by_another_process_is_seen_at_once(site, article):
    django, app = site
    for _ in range(3):
        call(app, article.get_absolute_url())
    calls = django.calls
    with connection.cursor() as cursor:  # another connection than the fast path's own
        cursor.execute("UPDATE newsdesk_site_contentversion SET version = version + 1")
    call(app, article.get_absolute_url())
    assert django.calls == calls + 1


def test_a_matching_etag_gets_304(site, article):
    _, app = site
    call(app, article.get_absolute_url())
    _, headers, _ = call(app, article.get_absolute_url())
    etag = header(headers, "ETag")[0]
    status, headers, body = call(app, article.get_absolute_url(), if_none_match=etag)
    assert status == "304 Not Modified"
    assert body == b""
    assert header(headers, "ETag") == [etag]


def test_signed_in_readers_and_posts_always_reach_django(site, article):
    django, app = site
    for _ in range(3):
        call(app, article.get_absolute_url())
    calls = django.calls
    call(app, article.get_absolute_url(), cookie="sessionid=abc; csrftoken=x")
    call(app, article.get_absolute_url(), cookie="messages=abc")
    assert django.calls == calls + 2
