from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.api.tests.conftest import patch_json
from newsdesk.articles.models import Article, SlugRedirect
from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def test_list_shows_only_published_articles_newest_first(anonymous_api):
    now = timezone.now()
    older = ArticleFactory(published_at=now - timedelta(hours=2))
    newer = ArticleFactory(published_at=now - timedelta(hours=1))
    ArticleFactory(status=Article.Status.DRAFT)
    ArticleFactory(status=Article.Status.WITHDRAWN)
    ArticleFactory(published_at=now + timedelta(days=1))  # scheduled, not yet public

    assert ids(anonymous_api.get("/api/articles")) == [newer.pk, older.pk]


def test_list_item_has_source_tags_and_links(anonymous_api):
    article = ArticleFactory(headline="Grain ships sail", tag_names=["Ukraine", "Agriculture"])
    item = anonymous_api.get("/api/articles").json()["items"][0]
    assert item["headline"] == "Grain ships sail"
    assert item["slug"] == article.slug
    assert item["url"] == f"http://testserver/news/{article.slug}/"
    assert item["api_url"] == f"http://testserver/api/articles/{article.slug}"
    assert item["source"]["slug"] == article.source.slug
    assert [tag["name"] for tag in item["tags"]] == ["Agriculture", "Ukraine"]
    assert item["comment_count"] == 0


def test_list_filters_by_tag_and_source(anonymous_api):
    reuters = SourceFactory(name="Reuters", slug="reuters")
    tagged = ArticleFactory(tag_names=["Ukraine"], source=reuters)
    ArticleFactory(tag_names=["Climate"], source=reuters)
    other_source = ArticleFactory(tag_names=["Ukraine"])

    assert set(ids(anonymous_api.get("/api/articles?tag=ukraine"))) == {tagged.pk, other_source.pk}
    assert ids(anonymous_api.get("/api/articles?tag=ukraine&source=reuters")) == [tagged.pk]
    assert ids(anonymous_api.get("/api/articles?tag=no-such-tag")) == []


def test_list_filters_by_publication_time(anonymous_api):
    now = timezone.now().replace(microsecond=0)
    old = ArticleFactory(published_at=now - timedelta(days=10))
    middle = ArticleFactory(published_at=now - timedelta(days=5))
    recent = ArticleFactory(published_at=now - timedelta(days=1))
    after = (now - timedelta(days=6)).isoformat()
    before = (now - timedelta(days=2)).isoformat()

    assert ids(anonymous_api.get("/api/articles", {"published_after": after})) == [
        recent.pk,
        middle.pk,
    ]
    assert ids(anonymous_api.get("/api/articles", {"published_before": before})) == [
        middle.pk,
        old.pk,
    ]
    both = {"published_after": after, "published_before": before}
    assert ids(anonymous_api.get("/api/articles", both)) == [middle.pk]


def test_a_time_filter_without_a_time_zone_is_refused(anonymous_api):
    response = anonymous_api.get("/api/articles", {"published_after": "2024-01-01T00:00:00"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_cursor_pages_cover_every_article_once_in_order(anonymous_api):
    moment = timezone.now() - timedelta(hours=1)
    # Ties on published_at are where offset-less paging usually breaks.
    articles = [ArticleFactory(published_at=moment - timedelta(minutes=i // 3)) for i in range(23)]
    expected = list(
        Article.objects.published().order_by("-published_at", "-id").values_list("pk", flat=True)
    )
    assert len(expected) == len(articles)

    seen, url, pages = [], "/api/articles?limit=5", 0
    while url:
        response = anonymous_api.get(url)
        seen += ids(response)
        url = response.json()["next"]
        pages += 1
    assert seen == expected
    assert pages == 5


def test_cursor_keeps_the_other_filters(anonymous_api):
    for _ in range(3):
        ArticleFactory(tag_names=["Ukraine"])
    ArticleFactory(tag_names=["Climate"])
    first = anonymous_api.get("/api/articles?tag=ukraine&limit=2").json()
    assert "tag=ukraine" in first["next"]
    second = anonymous_api.get(first["next"]).json()
    assert len(second["items"]) == 1 and second["next"] is None


def test_articles_published_while_paging_do_not_shift_the_pages(anonymous_api):
    base = timezone.now() - timedelta(hours=1)
    originals = [ArticleFactory(published_at=base - timedelta(minutes=i)) for i in range(4)]
    first = anonymous_api.get("/api/articles?limit=2").json()
    ArticleFactory(published_at=base + timedelta(minutes=5))  # lands before page one
    second = anonymous_api.get(first["next"]).json()
    assert [i["id"] for i in second["items"]] == [originals[2].pk, originals[3].pk]


@pytest.mark.parametrize(
    "cursor",
    ["zzz", "eyJhIjoxfQ", "WyJub3QgYSBkYXRlIiwxXQ", "WyIyMDI0LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwiMSJd"],
)
def test_a_made_up_cursor_is_a_bad_request(anonymous_api, cursor):
    response = anonymous_api.get("/api/articles", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["title"] == "Bad cursor"


def test_drafts_are_listed_for_editors_only(anonymous_api, reader_api, editor_api):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert anonymous_api.get("/api/articles?status=draft").status_code == 403
    assert reader_api.get("/api/articles?status=draft").status_code == 403
    assert ids(editor_api.get("/api/articles?status=draft")) == [draft.pk]


def test_detail_by_slug_and_by_id(anonymous_api):
    article = ArticleFactory(
        headline="Lviv opens a tram line",
        body="First paragraph.\n\nSecond paragraph.",
        tag_names=["Transport"],
        language="uk",
    )
    by_slug = anonymous_api.get(f"/api/articles/{article.slug}")
    by_id = anonymous_api.get(f"/api/articles/{article.pk}")
    assert by_slug.status_code == by_id.status_code == 200
    assert by_slug.json() == by_id.json()
    data = by_slug.json()
    assert data["body"] == ["First paragraph.", "Second paragraph."]
    assert data["language"] == "uk"
    assert [t["slug"] for t in data["tags"]] == ["transport"]
    assert data["authors"] == []
    assert set(data) >= {"published", "updated", "comment_count", "source", "url"}


def test_detail_follows_a_former_slug(anonymous_api):
    article = ArticleFactory()
    SlugRedirect.objects.create(old_slug="the-old-headline", article=article)
    assert anonymous_api.get("/api/articles/the-old-headline").json()["id"] == article.pk


def test_unpublished_article_is_not_found_except_for_editors(anonymous_api, reader_api, editor_api):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    for client in (anonymous_api, reader_api):
        response = client.get(f"/api/articles/{draft.slug}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert editor_api.get(f"/api/articles/{draft.slug}").json()["status"] == "draft"


def test_read_answers_304_when_the_etag_still_matches(anonymous_api, editor_api):
    article = ArticleFactory()
    first = anonymous_api.get(f"/api/articles/{article.slug}")
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = anonymous_api.get(f"/api/articles/{article.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    patch_json(editor_api, f"/api/articles/{article.pk}", {"headline": "A new headline"})
    changed = anonymous_api.get(f"/api/articles/{article.pk}", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_list_etag_changes_when_an_article_is_published(anonymous_api):
    ArticleFactory()
    etag = anonymous_api.get("/api/articles")["ETag"]
    assert anonymous_api.get("/api/articles", headers={"If-None-Match": etag}).status_code == 304
    ArticleFactory()
    assert anonymous_api.get("/api/articles", headers={"If-None-Match": etag}).status_code == 200


def test_head_answers_like_get(anonymous_api):
    ArticleFactory()
    assert anonymous_api.head("/api/articles").status_code == 200
