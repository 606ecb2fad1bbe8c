"""A hostile feed cannot stop the poller: found while feeding the XSS payloads through feeds.

A teaser-only entry whose link holds a raw space makes ``urllib`` raise
``http.client.InvalidURL``, which ``newsdesk.ingest.fetch.fetch`` once let escape
``poll_feed``, so the feed's other entries are never taken and the
feed failed the same way on every poll. fetch() now turns ``http.client.HTTPException``
into a FetchError for that one entry.
"""

import pytest
from doors_sources import FILLER, _LocalSite

pytestmark = pytest.mark.django_db

RSS = """<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>t</title>
<item><title>Teaser with a broken link</title><link>{base}/a story.html</link>
<guid isPermaLink='false'>broken-link</guid><description>Only a teaser</description></item>
<item><title>A whole story</title><link>{base}/whole.html</link><guid isPermaLink='false'>whole</guid>
<description><![CDATA[<p>{filler}</p>]]></description></item></channel></rss>"""


def test_an_entry_link_with_a_space_fails_alone_and_the_feed_goes_on():
    from newsdesk.ingest.models import FeedItem
    from newsdesk.ingest.polling import poll_feed
    from newsdesk.ingest.services import add_feed

    with _LocalSite() as web:
        body = RSS.format(base=web.base, filler=FILLER).encode()
        web.routes["/feed.rss"] = (200, "OK", "application/rss+xml", body)
        feed, _created = add_feed(f"{web.base}/feed.rss")
        result = poll_feed(feed)
    assert result.taken == 1
    assert FeedItem.objects.filter(feed=feed, guid="whole").exists()
    assert any("broken-link" in error for error in result.entry_errors)
