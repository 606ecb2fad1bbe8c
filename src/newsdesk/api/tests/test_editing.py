from datetime import UTC, datetime

import pytest

from newsdesk.api.tests.conftest import patch_json, post_json, token_client
from newsdesk.articles.models import Article, ArticleTag
from newsdesk.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NEW_STORY = {
    "headline": "Parliament passes the budget",
    "body": "The vote was close.\n\nThe opposition walked out.",
    "source": "reuters",
    "tags": ["Politics", "Economy"],
    "authors": ["Iryna Bondar"],
    "published": "2026-01-05T09:30:00+02:00",
    "status": "published",
}


def test_editor_creates_an_article(editor_api):
    response = post_json(editor_api, "/api/articles", NEW_STORY)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["headline"] == NEW_STORY["headline"]
    assert data["body"] == ["The vote was close.", "The opposition walked out."]
    assert data["source"]["name"] == "Reuters"  # the importer's known-source spelling
    assert [t["name"] for t in data["tags"]] == ["Economy", "Politics"]
    assert data["authors"] == ["Iryna Bondar"]
    article = Article.objects.get(pk=data["id"])
    assert article.published_at == datetime(2026, 1, 5, 7, 30, tzinfo=UTC)
    assert set(article.article_tags.values_list("origin", flat=True)) == {ArticleTag.Origin.EDITOR}


def test_new_article_is_a_draft_unless_said_otherwise(editor_api, anonymous_api):
    story = {"headline": "Quiet draft", "body": "Not yet."}
    data = post_json(editor_api, "/api/articles", story).json()
    assert data["status"] == "draft"
    assert anonymous_api.get(f"/api/articles/{data['slug']}").status_code == 404


def test_group_editor_may_create_articles(group_editor):
    response = post_json(token_client(group_editor), "/api/articles", NEW_STORY)
    assert response.status_code == 201


def test_creating_the_same_story_twice_is_a_conflict(editor_api):
    first = post_json(editor_api, "/api/articles", NEW_STORY)
    again = post_json(editor_api, "/api/articles", NEW_STORY)
    assert again.status_code == 409
    assert again.json()["existing"].endswith(f"/api/articles/{first.json()['slug']}")
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"headline": ""},
        {"headline": "x" * 301},
        {"body": "   "},
        {"status": "archived"},
        {"tags": ["  "]},
        {"canonical_url": "not a url"},
        {"published": "2026-01-05T09:30:00"},
    ],
)
def test_invalid_article_is_refused_with_details(editor_api, change):
    response = post_json(editor_api, "/api/articles", {**NEW_STORY, **change})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert Article.objects.count() == 0


def test_editor_changes_only_the_fields_sent(editor_api):
    article = ArticleFactory(headline="Old headline", tag_names=["Ukraine", "Energy"])
    original_body = article.body
    response = patch_json(
        editor_api,
        f"/api/articles/{article.pk}",
        {"headline": "New headline", "tags": ["Energy", "Europe"], "status": "withdrawn"},
    )
    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert article.headline == "New headline"
    assert article.body == original_body
    assert article.status == Article.Status.WITHDRAWN
    assert sorted(t.name for t in article.visible_tags) == ["Energy", "Europe"]
    # The old slug keeps working for readers' links.
    assert response.json()["slug"] != "old-headline"


def test_patch_with_null_source_removes_the_source(editor_api):
    article = ArticleFactory()
    response = patch_json(editor_api, f"/api/articles/{article.slug}", {"source": None})
    assert response.json()["source"] is None


def test_edit_updates_the_content_fingerprint(editor_api):
    article = ArticleFactory()
    patch_json(editor_api, f"/api/articles/{article.pk}", {"body": "Rewritten."})
    before = article.fingerprint
    article.refresh_from_db()
    assert article.fingerprint and article.fingerprint != before


def test_edited_article_is_found_by_search_with_its_new_words(editor_api, anonymous_api):
    article = ArticleFactory(body="Nothing special here.")
    patch_json(editor_api, f"/api/articles/{article.pk}", {"body": "A zeppelin landed."})
    hits = anonymous_api.get("/api/search?q=zeppelin").json()["items"]
    assert [hit["article"]["id"] for hit in hits] == [article.pk]
