"""Feed polling against a local HTTP server on 127.0.0.1."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.ingest.models import Feed, FeedErrorLog, FeedItem
from newsdesk.ingest.polling import poll_feed
from newsdesk.ingest.tasks import enqueue_due_feeds
from newsdesk.ingest.tests.helpers import article_html, rss, story_text

pytestmark = pytest.mark.django_db


def full_entry(n):
    content = "".join(f"<p>{p}</p>" for p in story_text(100 + n))
    return {
        "title": f"Full story {n}",
        "link": f"https://harbour.example/full-{n}",
        "guid": f"full-{n}",
        "content": content,
    }


def teaser_entry(server, n):
    server.routes[f"/page-{n}"] = (
        200,
        {"Content-Type": "text/html"},
        article_html(
            f"Linked story {n}", story_text(200 + n), url=server.url(f"/page-{n}")
        ).encode(),
    )
    return {"title": f"Linked story {n}", "link": server.url(f"/page-{n}"), "guid": f"teaser-{n}"}


def serve_feed(server, items, etag='"v1"'):
    body = rss(items)

    def handler(request):
        if request.headers.get("If-None-Match") == etag:
            request.send_response(304)
            request.end_headers()
            return
        request.send_response(200)
        request.send_header("Content-Type", "application/rss+xml")
        request.send_header("ETag", etag)
        request.send_header("Content-Length", str(len(body)))
        request.end_headers()
        request.wfile.write(body)

    server.routes["/feed.xml"] = handler


def test_new_entries_arrive_and_teasers_are_fetched_and_extracted(server):
    serve_feed(server, [full_entry(1), teaser_entry(server, 2)])
    feed = Feed.objects.create(url=server.url("/feed.xml"), every_minutes=15)
    result = poll_feed(feed)
    assert (result.status, result.taken, result.entry_errors) == ("new", 2, [])
    full = Article.objects.get(headline="Full story 1")
    assert full.paragraphs == story_text(101)
    linked = Article.objects.get(headline="Linked story 2")
    assert linked.paragraphs == story_text(202)
    assert linked.source.name == "Harbour Times"
    feed.refresh_from_db()
    assert (feed.items_taken, feed.etag, feed.error_count) == (2, '"v1"', 0)
    assert feed.next_fetch_at == feed.last_fetched_at + timedelta(minutes=15)

    serve_feed(server, [full_entry(1), teaser_entry(server, 2), full_entry(3)], etag='"v2"')
    assert poll_feed(feed).taken == 1
    assert Article.objects.count() == 3
    assert FeedItem.objects.filter(feed=feed).count() == 3


def test_not_modified_costs_one_update_and_no_parse(server, monkeypatch, django_assert_num_queries):
    serve_feed(server, [full_entry(1)])
    feed = Feed.objects.create(url=server.url("/feed.xml"))
    poll_feed(feed)
    feed.refresh_from_db()

    def parse_must_not_run(*args, **kwargs):
        raise AssertionError("a 304 must not be parsed")

    monkeypatch.setattr("newsdesk.ingest.polling.parse_feed", parse_must_not_run)
    with django_assert_num_queries(1):
        result = poll_feed(feed)
    assert result.status == "not_modified"
    assert server.hits[-1][1].get("If-None-Match") == '"v1"'


def test_a_failing_feed_backs_off_exponentially_and_recovers(server):
    server.routes["/feed.xml"] = (500, {}, b"oops")
    feed = Feed.objects.create(url=server.url("/feed.xml"), every_minutes=10)
    start = timezone.now()
    poll_feed(feed, now=start)
    feed.refresh_from_db()
    assert (feed.error_count, feed.next_fetch_at) == (1, start + timedelta(minutes=20))
    poll_feed(feed, now=start)
    feed.refresh_from_db()
    assert (feed.error_count, feed.next_fetch_at) == (2, start + timedelta(minutes=40))
    assert "HTTP 500" in feed.last_error
    assert FeedErrorLog.objects.filter(feed=feed).count() == 2

    serve_feed(server, [full_entry(1)])
    poll_feed(feed, now=start)
    feed.refresh_from_db()
    assert (feed.error_count, feed.last_error, feed.items_taken) == (0, "", 1)
    assert feed.next_fetch_at == start + timedelta(minutes=10)


def test_back_off_is_capped(server, settings):
    settings.INGEST_FEED_MAX_BACKOFF_MINUTES = 60
    server.routes["/feed.xml"] = (503, {}, b"")
    feed = Feed.objects.create(url=server.url("/feed.xml"), every_minutes=10, error_count=12)
    now = timezone.now()
    poll_feed(feed, now=now)
    feed.refresh_from_db()
    assert feed.next_fetch_at == now + timedelta(minutes=60)


def failure_of(server, route, **feed_fields):
    server.routes["/feed.xml"] = route
    feed = Feed.objects.create(url=server.url("/feed.xml"), **feed_fields)
    result = poll_feed(feed)
    assert result.status == "failed"
    assert FeedErrorLog.objects.get(feed=feed).message == result.error
    return result.error


def test_a_feed_that_times_out_is_an_error_not_a_hang(server, settings):
    settings.INGEST_FETCH_TIMEOUT = 0.5

    def slow_drip(request):  # answers, then sends one byte every 0.2 s for ever
        request.send_response(200)
        request.end_headers()
        for _ in range(50):
            request.wfile.write(b" ")
            request.wfile.flush()
            time.sleep(0.2)

    started = time.monotonic()
    assert "timed out" in failure_of(server, slow_drip)
    assert time.monotonic() - started < 2


def test_a_50_mb_response_is_cut_off(server):
    def huge(request):  # no Content-Length: the cap must hold while streaming
        request.send_response(200)
        request.end_headers()
        chunk = b"<rss>" + b"x" * (1024 * 1024)
        try:
            for _ in range(50):
                request.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    assert "response cut off: over the limit of 10 MB" in failure_of(server, huge)


def test_a_declared_50_mb_response_is_refused_before_reading(server):
    def declared(request):
        request.send_response(200)
        request.send_header("Content-Length", str(50 * 1024 * 1024))
        request.end_headers()

    assert "response is 50.0 MB; the limit is 10 MB" in failure_of(server, declared)


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/feed.xml"])
def test_redirects_to_other_schemes_are_refused(server, target):
    error = failure_of(server, (302, {"Location": target}, b""))
    assert f"refused a redirect to a {target.split(':')[0]}: URL" in error


def test_a_billion_laughs_feed_is_refused_without_expanding(server):
    laughs = b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"".join(b"&lol%d;" % (i - 1) for _ in range(10)))
        for i in range(1, 10)
    )
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">'
        + laughs
        + b']><rss version="2.0"><channel><title>&lol9;</title></channel></rss>'
    )
    assert "declares XML entities" in failure_of(server, (200, {}, bomb))


def test_malformed_and_mis_encoded_feeds_still_yield_their_entries(server):
    body = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café</title>'
        "<item><title>Zürich café prices</title><link>https://x.example/a</link><guid>a</guid>"
        "<description><![CDATA[" + "".join(f"<p>{p}" for p in story_text(300)) + "]]></description>"
        "</item></channel>"
    ).encode("latin-1")  # declared utf-8, sent latin-1, </rss> missing
    server.routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, body)
    feed = Feed.objects.create(url=server.url("/feed.xml"))
    result = poll_feed(feed)
    assert (result.status, result.taken) == ("new", 1)
    assert "caf" in Article.objects.get().headline.lower()


def test_one_bad_entry_is_logged_and_the_others_arrive(server):
    server.routes["/empty-page"] = (200, {}, b"<html><body><nav>Home</nav></body></html>")
    serve_feed(
        server,
        [full_entry(1), {"title": "Broken", "link": server.url("/empty-page"), "guid": "broken"}],
    )
    feed = Feed.objects.create(url=server.url("/feed.xml"))
    result = poll_feed(feed)
    assert result.taken == 1 and len(result.entry_errors) == 1
    assert "no article text found" in FeedErrorLog.objects.get(feed=feed).message


def test_due_feeds_are_polled_by_the_scheduler_task_once(server):
    serve_feed(server, [full_entry(1)])
    due = Feed.objects.create(url=server.url("/feed.xml"))
    Feed.objects.create(
        url=server.url("/later.xml"), next_fetch_at=timezone.now() + timedelta(hours=1)
    )
    Feed.objects.create(url=server.url("/off.xml"), active=False)
    assert enqueue_due_feeds.call() == 1  # ImmediateBackend: the poll runs at once
    due.refresh_from_db()
    assert due.items_taken == 1
    assert enqueue_due_feeds.call() == 0
