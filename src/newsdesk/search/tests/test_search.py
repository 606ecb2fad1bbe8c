"""Search through services.search on whichever database the run uses (SQLite or PostgreSQL)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.articles.models import Article, ArticleTag, Tag
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.search import services
from newsdesk.search.query import SearchQuery

pytestmark = pytest.mark.django_db


def ids(text, **filters):
    return [hit.article_id for hit in services.search(SearchQuery(text, **filters)).hits]


def test_the_story_with_the_words_in_its_headline_ranks_first(corpus):
    assert ids("grain exports") == [corpus["headline"].pk, corpus["body"].pk]


def test_hits_carry_their_article_and_highlighted_snippets(corpus):
    page = services.search(SearchQuery("odesa"))
    assert page.total == 1
    hit = page.hits[0]
    assert hit.article == corpus["headline"]
    assert "<mark>Odesa</mark>" in hit.snippet_html
    page = services.search(SearchQuery("ports"))
    assert "<mark>ports</mark>" in page.hits[0].headline_html


def test_a_quoted_phrase_needs_the_words_together(corpus):
    assert set(ids("black sea")) == {corpus["headline"].pk, corpus["phrase"].pk}
    assert ids('"black sea"') == [corpus["headline"].pk]


def test_minus_word_excludes_stories(corpus):
    assert ids("grain -wheat") == [corpus["headline"].pk, corpus["tram"].pk]


def test_tags_and_source_names_are_searchable(corpus):
    assert set(ids("transport")) == {corpus["tram"].pk}
    assert corpus["headline"].pk in ids("reuters")


def test_filter_by_tag(corpus):
    assert ids("grain", tag="ukraine") == [corpus["headline"].pk, corpus["tram"].pk]
    assert ids("grain", tag="no-such-tag") == []


def test_filter_by_source(corpus):
    assert ids("grain", source="ap") == [corpus["body"].pk]


def test_filter_by_date_range(corpus):
    today = timezone.localdate()
    assert ids("grain", date_from=today - timedelta(days=5)) == [
        corpus["headline"].pk,
        corpus["body"].pk,
    ]
    assert ids("grain", date_to=today - timedelta(days=2)) == [
        corpus["body"].pk,
        corpus["tram"].pk,
    ]
    assert ids("grain", date_from=today - timedelta(days=5), date_to=today - timedelta(days=2)) == [
        corpus["body"].pk
    ]


def test_pagination_splits_the_hits_in_rank_order(corpus):
    first = services.search(SearchQuery("grain", per_page=2, page=1))
    second = services.search(SearchQuery("grain", per_page=2, page=2))
    assert first.total == second.total == 3
    assert first.num_pages == 2 and first.has_next() and not second.has_next()
    assert [h.article_id for h in first.hits] + [h.article_id for h in second.hits] == ids("grain")


def test_only_published_articles_are_found(corpus):
    ArticleFactory(headline="Draft about grain", status=Article.Status.DRAFT)
    ArticleFactory(
        headline="Scheduled grain story", published_at=timezone.now() + timedelta(days=1)
    )
    assert len(ids("grain")) == 3


def test_an_edit_is_found_by_its_new_words_only(corpus):
    article = corpus["tram"]
    article.headline = "Lviv opens a new trolleybus line"
    article.save()
    assert ids("trolleybus") == [article.pk]
    assert ids('"new tram line"') == []


def test_a_withdrawn_story_leaves_the_index_and_returns_when_republished(corpus):
    article = corpus["headline"]
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert ids("odesa") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    assert ids("odesa") == [article.pk]


def test_a_deleted_story_leaves_the_index(corpus):
    article_id = corpus["headline"].pk
    corpus["headline"].delete()
    assert ids("odesa") == []
    from newsdesk.search.models import SearchDocument

    assert not SearchDocument.objects.filter(article_id=article_id).exists()


def test_tag_changes_follow_into_the_index(corpus):
    article = corpus["phrase"]
    link = ArticleTag.objects.create(
        article=article, tag=Tag.objects.create(name="Bulgaria", slug="bulgaria")
    )
    assert ids("bulgaria") == [article.pk]
    assert ids("storm", tag="bulgaria") == [article.pk]
    link.delete()
    assert ids("bulgaria") == []


def test_a_renamed_tag_is_found_by_its_new_name(corpus):
    tag = Tag.objects.get(slug="transport")
    tag.name = "Public transit"
    tag.save()
    assert ids("transit") == [corpus["tram"].pk]


def test_reindex_command_rebuilds_a_lost_index(corpus):
    from newsdesk.search.services import get_backend

    get_backend().clear()
    assert ids("grain") == []
    out = io.StringIO()
    call_command("search", "reindex", stdout=out)
    assert out.getvalue().startswith("4 articles indexed")
    assert ids("grain exports") == [corpus["headline"].pk, corpus["body"].pk]


def test_articles_written_without_signals_are_found_after_reindex(corpus):
    Article.objects.filter(pk=corpus["tram"].pk).update(headline="Funicular opens in Lviv")
    assert ids("funicular") == []
    services.reindex()
    assert ids("funicular") == [corpus["tram"].pk]


HOSTILE_QUERIES = [
    '"',
    '"""',
    'grain "black',
    "grain AND OR NOT",
    "NEAR(grain exports, 2)",
    "headline:grain",
    "{headline body}: grain",
    "grain*",
    "^grain",
    "-",
    "--",
    "- -grain",
    "grain\x00exports",
    "\x00",
    "🌾 grain 🚢",
    "🙂",
    "'; DROP TABLE articles_article; --",
    "1 OR 1=1",
    "%s %(x)s ?",
    "\\",
    "a" * 5000,
    "grain " * 1000,
    " ".join(f"w{i}" for i in range(1000)),
    "ﬁ Ǆ ß İ",
    "\u200b\u202e",
]


@pytest.mark.parametrize("text", HOSTILE_QUERIES)
def test_hostile_queries_give_results_or_no_results(corpus, text):
    page = services.search(SearchQuery(text))
    assert page.total >= 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_is_a_valid_query(corpus, text):
    page = services.search(SearchQuery(text, tag="ukraine"))
    assert len(page.hits) <= page.total


def test_an_imported_story_is_found_by_its_tags_after_commit(
    db, django_capture_on_commit_callbacks
):
    from newsdesk.articles.services import StoryInput, upsert_story

    with django_capture_on_commit_callbacks(execute=True):
        result = upsert_story(
            StoryInput(headline="Harvest report", body="Yields are up.", tags=["Agriculture"])
        )
    assert ids("agriculture") == [result.article.pk]
