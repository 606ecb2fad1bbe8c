from datetime import date, timedelta

import pytest
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_tags_in_use_with_counts_of_published_articles(anonymous_api):
    ArticleFactory(tag_names=["Ukraine", "Energy"])
    ArticleFactory(tag_names=["Ukraine"])
    ArticleFactory(tag_names=["Secret"], status=Article.Status.DRAFT)
    items = anonymous_api.get("/api/tags").json()["items"]
    assert [(t["name"], t["article_count"]) for t in items] == [("Energy", 1), ("Ukraine", 2)]
    assert items[0]["url"] == "http://testserver/tags/energy/"


def test_sources_with_counts(anonymous_api):
    reuters = SourceFactory(name="Reuters", slug="reuters")
    ArticleFactory(source=reuters)
    ArticleFactory(source=reuters)
    ArticleFactory(source=SourceFactory(name="Hidden", slug="hidden"), status=Article.Status.DRAFT)
    items = anonymous_api.get("/api/sources").json()["items"]
    assert [(s["slug"], s["article_count"]) for s in items] == [("reuters", 2)]


def test_search_returns_ranked_hits_with_highlighted_snippets(anonymous_api):
    in_headline = ArticleFactory(headline="Grain corridor reopens", body="Ships sail again.")
    in_body = ArticleFactory(headline="Port news", body="The grain harvest was large.")
    ArticleFactory(headline="Unrelated", body="Football results.")
    data = anonymous_api.get("/api/search?q=grain").json()
    assert data["total"] == 2
    assert [hit["article"]["id"] for hit in data["items"]] == [in_headline.pk, in_body.pk]
    assert "<mark>" in data["items"][0]["headline_html"]
    assert "<mark>grain</mark>" in data["items"][1]["snippet_html"].lower()


def test_search_filters_and_pages(anonymous_api):
    reuters = SourceFactory(name="Reuters", slug="reuters")
    for n in range(3):
        ArticleFactory(headline=f"Harbour report {n}", source=reuters)
    ArticleFactory(headline="Harbour elsewhere")
    first = anonymous_api.get("/api/search?q=harbour&source=reuters&limit=2").json()
    assert first["total"] == 3 and len(first["items"]) == 2
    second = anonymous_api.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None
    today = timezone.now().date()
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert anonymous_api.get(f"/api/search?q=harbour&date_from={tomorrow}").json()["total"] == 0


@pytest.mark.parametrize(
    "query", ['"unbalanced', "NEAR(a b)", "x" * 5000, "🙂 emoji", "'; DROP TABLE x; --", "-only"]
)
def test_any_text_is_a_valid_search(anonymous_api, query):
    ArticleFactory(headline="Something")
    response = anonymous_api.get("/api/search", {"q": query})
    assert response.status_code == 200
    assert "items" in response.json()


def test_search_dates_at_the_end_of_the_calendar_are_refused_not_crashed(anonymous_api):
    response = anonymous_api.get("/api/search", {"q": "a", "date_to": date.max.isoformat()})
    assert response.status_code == 422
