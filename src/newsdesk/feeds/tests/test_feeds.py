from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory
from newsdesk.comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(db):
    now = timezone.now()
    reuters = SourceFactory(name="Reuters", slug="reuters")
    older = ArticleFactory(
        headline="Older story & more",
        source=reuters,
        tag_names=["Ukraine"],
        published_at=now - timedelta(days=2),
        body="First <paragraph>.\n\nSecond paragraph only in full text.",
    )
    newest = ArticleFactory(
        headline="Newest story", source=reuters, tag_names=["Ukraine"], published_at=now
    )
    other = ArticleFactory(headline="Other source story", published_at=now - timedelta(hours=1))
    ArticleFactory(headline="A draft", status=Article.Status.DRAFT)
    return {"older": older, "newest": newest, "other": other, "source": reuters}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_site_feed_parses_and_lists_the_newest_first(client, newsroom, kind):
    feed = parse(client, f"/feed/{kind}/")
    titles = [entry.title for entry in feed.entries]
    assert titles == ["Newest story", "Other source story", "Older story & more"]
    assert feed.entries[0].link == "http://127.0.0.1:8000" + newsroom["newest"].get_absolute_url()


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_tag_feed_holds_only_that_tags_stories(client, newsroom, kind):
    feed = parse(client, f"/tags/ukraine/feed/{kind}/")
    assert [entry.title for entry in feed.entries] == ["Newest story", "Older story & more"]
    assert "Ukraine" in feed.feed.title


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_source_feed_holds_only_that_sources_stories(client, newsroom, kind):
    feed = parse(client, f"/sources/reuters/feed/{kind}/")
    assert [entry.title for entry in feed.entries] == ["Newest story", "Older story & more"]


def test_unknown_tag_feed_is_not_found(client, newsroom):
    assert client.get("/tags/nope/feed/rss/").status_code == 404


def test_feeds_carry_the_full_text_escaped(client, newsroom):
    feed = parse(client, "/feed/rss/")
    older = feed.entries[2]
    assert "Second paragraph only in full text." in older.summary
    assert "<paragraph>" not in older.summary


def test_feeds_carry_a_summary_when_full_text_is_off(client, newsroom, settings):
    settings.FEEDS_FULL_TEXT = False
    feed = parse(client, "/feed/atom/")
    assert "Second paragraph" not in feed.entries[2].summary
    assert "First" in feed.entries[2].summary


def test_json_feed_is_version_1_1_with_the_newest_stories(client, newsroom):
    response = client.get("/feed.json")
    assert response["Content-Type"].startswith("application/feed+json")
    data = response.json()
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"].endswith("/feed.json")
    assert [item["title"] for item in data["items"]][0] == "Newest story"
    assert data["items"][0]["tags"] == ["Ukraine"]
    assert all("content_html" in item and "id" in item for item in data["items"])


def test_comment_feed_lists_published_comments_only(client, newsroom):
    article = newsroom["older"]
    Comment.objects.create(
        article=article,
        guest_name="Olena",
        body="Good *point*",
        body_html="<p>Good <em>point</em></p>",
        status=Comment.Status.PUBLISHED,
    )
    Comment.objects.create(
        article=article,
        guest_name="Spammer",
        body="buy",
        body_html="<p>buy</p>",
        status=Comment.Status.PENDING,
    )
    feed = parse(client, f"/news/{article.slug}/comments/feed/rss/")
    assert [entry.author for entry in feed.entries] == ["Olena"]
    assert "<em>point</em>" in feed.entries[0].summary
    assert parse(client, f"/news/{article.slug}/comments/feed/atom/").entries


def test_comment_feed_of_an_unpublished_article_is_not_found(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.get(f"/news/{draft.slug}/comments/feed/rss/").status_code == 404


def test_pages_advertise_their_feeds(client, newsroom):
    front = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in front
    assert 'href="/feed/rss/"' in front
    tag_page = client.get("/tags/ukraine/").content.decode()
    assert 'href="/tags/ukraine/feed/rss/"' in tag_page
    source_page = client.get("/sources/reuters/").content.decode()
    assert 'href="/sources/reuters/feed/rss/"' in source_page
