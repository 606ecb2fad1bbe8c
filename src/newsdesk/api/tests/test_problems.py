"""Every error is an RFC 9457 problem document."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

PROBLEM_KEYS = {"type", "title", "status", "detail"}


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    return body


def test_unknown_api_path_is_a_404_problem():
    assert_problem(Client().get("/api/no/such/thing"), 404)


def test_unknown_article_is_a_404_problem():
    assert_problem(Client().get("/api/articles/no-such-story"), 404)


def test_wrong_method_is_a_405_problem_with_allow():
    response = Client().delete("/api/articles")
    assert_problem(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_invalid_parameter_is_a_422_problem_naming_the_field():
    body = assert_problem(Client().get("/api/articles?limit=1000"), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]


def test_malformed_json_is_a_400_problem(reader_api):
    from newsdesk.articles.tests.factories import ArticleFactory

    article = ArticleFactory()
    response = reader_api.post(
        f"/api/articles/{article.slug}/comments", "{not json", content_type="application/json"
    )
    assert_problem(response, 400)


def test_missing_credentials_is_a_401_problem():
    response = Client().post("/api/articles", {}, content_type="application/json")
    assert_problem(response, 401)


def test_out_of_range_time_is_a_400_problem():
    response = Client().get("/api/articles", {"published_after": "0001-01-01T00:00:00+05:00"})
    assert response.status_code in (400, 422)
    assert response["Content-Type"] == "application/problem+json"
