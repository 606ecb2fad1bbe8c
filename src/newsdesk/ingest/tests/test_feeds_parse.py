from datetime import UTC, datetime

import pytest

from newsdesk.ingest.feeds_parse import FeedError, entry_needs_fetch, parse_feed

FULL_TEXT = " ".join(
    f"Paragraph {i} of the full story about the harbour ferries, with enough words to count."
    for i in range(10)
)

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Harbour Times</title>
  <link>https://harbour.example/</link>
  <item>
    <title>Council expands harbour ferries</title>
    <link>/news/ferries</link>
    <guid isPermaLink="false">ht-1001</guid>
    <dc:creator>Mia Chen</dc:creator>
    <pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
    <category>Transport</category>
    <category>Harbour</category>
    <description>The council voted to expand the &lt;b&gt;ferry&lt;/b&gt; service.</description>
    <content:encoded><![CDATA[<p>{FULL_TEXT}</p>]]></content:encoded>
  </item>
  <item>
    <title>Orchid found on old railway</title>
    <link>https://harbour.example/news/orchid</link>
    <description>A rare orchid was found by a retired teacher [&#8230;]</description>
  </item>
</channel>
</rss>""".encode()

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Harbour Times &amp; Friends</title>
  <link rel="alternate" href="https://harbour.example/"/>
  <id>urn:uuid:feed</id>
  <updated>2024-03-05T10:00:00Z</updated>
  <entry>
    <title>Buses get new routes</title>
    <link rel="alternate" href="https://harbour.example/news/buses"/>
    <id>urn:uuid:entry-1</id>
    <author><name>Tom Berg</name><email>tom@harbour.example</email></author>
    <updated>2024-03-05T10:00:00-05:00</updated>
    <summary>Three bus routes change in April.</summary>
    <category term="transport"/>
  </entry>
</feed>"""


def test_rss_entry_fields_are_read():
    feed = parse_feed(RSS, base_url="https://harbour.example/feed.xml")
    assert feed.title == "Harbour Times"
    assert feed.link == "https://harbour.example/"
    first = feed.entries[0]
    assert first.guid == "ht-1001"
    assert first.title == "Council expands harbour ferries"
    assert first.author == "Mia Chen"
    assert first.tags == ["Transport", "Harbour"]
    assert first.summary == "The council voted to expand the ferry service."


def test_relative_entry_links_are_made_absolute_with_the_base_url():
    feed = parse_feed(RSS, base_url="https://harbour.example/feed.xml")
    assert feed.entries[0].link == "https://harbour.example/news/ferries"


def test_published_date_is_timezone_aware_utc():
    entry = parse_feed(RSS, None).entries[0]
    assert entry.published == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    atom_entry = parse_feed(ATOM, None).entries[0]
    assert atom_entry.published == datetime(2024, 3, 5, 15, 0, tzinfo=UTC)


def test_entry_with_full_content_does_not_need_fetching():
    entry = parse_feed(RSS, None).entries[0]
    assert entry.content_html is not None and FULL_TEXT in entry.content_html
    assert not entry_needs_fetch(entry)


def test_entry_with_only_a_teaser_needs_fetching():
    entry = parse_feed(RSS, None).entries[1]
    assert entry.content_html is None
    assert entry_needs_fetch(entry)


def test_long_description_counts_as_full_content():
    rss = RSS.replace(
        b"A rare orchid was found by a retired teacher [&#8230;]",
        f"&lt;p&gt;{FULL_TEXT}&lt;/p&gt;".encode(),
    )
    assert not entry_needs_fetch(parse_feed(rss, None).entries[1])


def test_entry_without_guid_falls_back_to_its_link():
    entry = parse_feed(RSS, None).entries[1]
    assert entry.guid == "https://harbour.example/news/orchid"


def test_atom_feed_is_read():
    feed = parse_feed(ATOM, None)
    assert feed.title == "Harbour Times & Friends"
    entry = feed.entries[0]
    assert (entry.guid, entry.author, entry.tags) == ("urn:uuid:entry-1", "Tom Berg", ["transport"])
    assert entry.summary == "Three bus routes change in April."
    assert entry_needs_fetch(entry)


def test_feed_with_title_and_no_entries_is_valid():
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>', None)
    assert feed.title == "Quiet" and feed.entries == []


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty"),
        (
            b"<!DOCTYPE html><html><head><title>Home</title></head><body>hi</body></html>",
            "HTML page",
        ),
        (b'{"items": []}', "malformed"),
        (b"<?xml version='1.0'?><catalog><book/></catalog>", "no feed title"),
    ],
)
def test_non_feed_input_raises_feed_error_with_a_clear_message(data, reason):
    with pytest.raises(FeedError, match=reason) as caught:
        parse_feed(data, None)
    assert "\n" not in str(caught.value)


def test_bytes_that_look_like_a_path_are_never_opened_as_a_file(tmp_path):
    secret = tmp_path / "feed.xml"
    secret.write_bytes(RSS)
    with pytest.raises(FeedError):
        parse_feed(str(secret).encode(), None)


def test_json_feed_is_read():
    body = "".join(f"<p>{'Long paragraph of the full story text. ' * 5}</p>" for _ in range(4))
    data = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": ['
        '{"id": "1", "url": "/a", "title": "Full", "content_html": "' + body + '",'
        ' "date_published": "2024-03-05T08:00:00Z", "authors": [{"name": "Ann"}], "tags": ["Port"]},'
        ' {"id": "2", "url": "https://wire.example/b", "title": "Teaser", "summary": "Short."}]}'
    ).encode()
    feed = parse_feed(data, "https://wire.example/feed.json")
    full, teaser = feed.entries
    assert (full.link, full.author, full.tags) == ("https://wire.example/a", "Ann", ["Port"])
    assert full.published.isoformat() == "2024-03-05T08:00:00+00:00"
    assert not entry_needs_fetch(full) and entry_needs_fetch(teaser)


def test_a_feed_declaring_entities_is_refused_before_parsing():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<rss version="2.0"><channel><title>&b;</title></channel></rss>'
    )
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(bomb, None)
