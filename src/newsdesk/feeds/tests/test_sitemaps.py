from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from lxml import etree

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FIXTURES / name)))


@pytest.fixture
def newsroom(db):
    now = timezone.now()
    source = SourceFactory(name="Reuters", slug="reuters")
    return {
        "fresh": ArticleFactory(
            headline="Fresh & new",
            source=source,
            tag_names=["Ukraine"],
            published_at=now - timedelta(hours=2),
        ),
        "day_old": ArticleFactory(headline="Yesterday's", published_at=now - timedelta(hours=30)),
        "old": ArticleFactory(
            headline="Last week", tag_names=["Economy"], published_at=now - timedelta(days=7)
        ),
        "draft": ArticleFactory(headline="Draft", status=Article.Status.DRAFT),
    }


def fetch_xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return etree.fromstring(response.content)


def test_sitemap_index_and_every_section_validate_against_the_sitemaps_schema(client, newsroom):
    index = fetch_xml(client, "/sitemap.xml")
    schema("siteindex.xsd").assertValid(index)
    locations = [loc.text for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert len(locations) == 3
    urlset_schema = schema("sitemap.xsd")
    found = []
    for location in locations:
        assert location.startswith("http://127.0.0.1:8000/sitemap-")
        section = fetch_xml(client, location.removeprefix("http://127.0.0.1:8000"))
        urlset_schema.assertValid(section)
        found += [loc.text for loc in section.iter(f"{SITEMAP_NS}loc")]
    for key in ("fresh", "day_old", "old"):
        assert "http://127.0.0.1:8000" + newsroom[key].get_absolute_url() in found
    assert not any(newsroom["draft"].slug in url for url in found)
    assert "http://127.0.0.1:8000/tags/ukraine/" in found
    assert "http://127.0.0.1:8000/sources/reuters/" in found


def test_news_sitemap_holds_only_the_last_48_hours(client, newsroom):
    root = fetch_xml(client, "/sitemap-news.xml")
    urls = root.findall(f"{SITEMAP_NS}url")
    titles = [url.find(f"{NEWS_NS}news/{NEWS_NS}title").text for url in urls]
    assert titles == ["Fresh & new", "Yesterday's"]
    publication = urls[0].find(f"{NEWS_NS}news/{NEWS_NS}publication")
    assert publication.find(f"{NEWS_NS}name").text == "newsdesk"
    assert publication.find(f"{NEWS_NS}language").text == "en"
    date = urls[0].find(f"{NEWS_NS}news/{NEWS_NS}publication_date").text
    assert date.startswith(str(newsroom["fresh"].published_at.date()))


def test_robots_txt_points_to_the_sitemaps(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in text
    assert "Sitemap: http://127.0.0.1:8000/sitemap-news.xml" in text
    assert "Disallow: /admin/" in text
