import io
import re

import pytest
from django.core.management import CommandError, call_command

from newsdesk.ingest.models import Feed

pytestmark = pytest.mark.django_db


def feeds(*args):
    out = io.StringIO()
    call_command("feeds", *args, stdout=out)
    return out.getvalue()


def test_feeds_can_be_added_listed_and_removed():
    assert "added feed" in feeds(
        "add", "https://wire.example/rss", "--source", "reuters", "--every", "5"
    )
    feed = Feed.objects.get()
    assert (feed.source.name, feed.every_minutes, feed.next_fetch_at) == ("Reuters", 5, None)
    listing = feeds("list")
    assert "https://wire.example/rss\tReuters\tevery 5 min\tlast never\t0 taken\tok" in listing
    assert "updated feed" in feeds("add", "https://wire.example/rss", "--every", "60")
    assert Feed.objects.get().every_minutes == 60
    assert "removed https://wire.example/rss" in feeds("remove", str(feed.pk))
    assert feeds("list").strip() == "no feeds"


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "file:///etc/passwd"], "not an http(s) URL"),
        (["add", "https://ok.example/feed", "--every", "0"], "at least 1 minute"),
        (["remove", "https://unknown.example/feed"], "no feed"),
    ],
)
def test_bad_feed_commands_fail_clearly(args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        feeds(*args)


def test_admin_lists_feed_health_and_polls_now(client, django_user_model, server):
    from newsdesk.ingest.tests.helpers import rss, story_text

    content = "".join(f"<p>{p}</p>" for p in story_text(400))
    server.routes["/feed.xml"] = (
        200,
        {},
        rss(
            [
                {
                    "title": "Admin polled",
                    "link": "https://x.example/a",
                    "guid": "a",
                    "content": content,
                }
            ]
        ),
    )
    feed = Feed.objects.create(url=server.url("/feed.xml"), last_error="HTTP 500", error_count=3)
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    listing = client.get("/admin/ingest/feed/")
    assert listing.status_code == 200 and "3× HTTP 500" in listing.content.decode()
    response = client.post(
        "/admin/ingest/feed/", {"action": "poll_now", "_selected_action": [feed.pk]}
    )
    assert response.status_code == 302
    feed.refresh_from_db()
    assert (feed.items_taken, feed.error_count) == (1, 0)  # ImmediateBackend: polled at once
