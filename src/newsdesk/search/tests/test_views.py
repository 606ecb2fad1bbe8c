import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, **params):
    return client.get(reverse("search:results"), params)


def test_results_page_shows_highlighted_snippets(client, corpus):
    response = get(client, q="odesa")
    assert response.status_code == 200
    assert "<mark>Odesa</mark>" in response.content.decode()
    assert corpus["headline"].get_absolute_url() in response.content.decode()


def test_results_page_says_no_results(client, corpus):
    response = get(client, q="zeppelin")
    assert "No results" in response.content.decode()


def test_results_page_applies_filters_from_the_url(client, corpus):
    response = get(client, q="grain", source="ap", **{"from": "2000-01-01", "to": "2999-12-31"})
    page = response.context["page"]
    assert [hit.article_id for hit in page.hits] == [corpus["body"].pk]


def test_bad_filters_are_ignored_not_an_error(client, corpus):
    response = get(client, q="grain", tag="Not A Slug!", **{"from": "yesterday", "page": "-3"})
    assert response.status_code == 200
    assert response.context["page"].total == 3


def test_typed_markup_is_escaped_on_the_results_page(client, corpus):
    response = get(client, q='<script>alert("x")</script> grain')
    body = response.content.decode()
    assert "<script>alert" not in body
    assert response.status_code == 200


@pytest.mark.parametrize("q", ['"', "\x00", "a" * 5000, "-", "NEAR(", "🙂"])
def test_hostile_queries_render_a_page(client, corpus, q):
    assert get(client, q=q).status_code == 200


def test_every_page_has_the_search_box(client, corpus):
    body = client.get("/").content.decode()
    assert 'role="search"' in body and 'action="/search/"' in body
