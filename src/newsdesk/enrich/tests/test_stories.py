"""Related articles and developing stories, on real text with the spaCy model."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.enrich.models import RelatedArticle, Story, StoryArticle
from newsdesk.enrich.related import keyword_vector, relatedness
from newsdesk.enrich.services import enrich_article
from newsdesk.enrich.tests.conftest import FakeRecogniser, entity

pytestmark = pytest.mark.django_db

GOLD = Path(__file__).resolve().parents[4] / "tests" / "enrich_gold"

FOLLOW_UP = (
    "Zelenskyy says Russia broke Easter truce as London talks near",
    "Ukrainian President Volodymyr Zelenskyy said on Tuesday that Russian forces had broken "
    "the Easter truce thousands of times, a day after the Kremlin floated bilateral talks.\n\n"
    "Kremlin spokesperson Dmitry Peskov said Moscow was ready for talks with Kyiv, but "
    "Vladimir Putin has not changed his demands over the territories Russia claims.\n\n"
    "Ukrainian officials will meet envoys from the United States, Britain and France in London "
    "this week to discuss a 30-day ceasefire on strikes against civilian infrastructure.\n\n"
    "Fighting continued near Pokrovsk, where Ukraine said Russian drone strikes killed civilians.",
)


def gold_article(name: str, **fields):
    headline, _, body = (GOLD / f"{name}.txt").read_text("utf-8").partition("\n\n")
    return ArticleFactory(headline=headline.strip(), body=body.strip(), **fields)


def test_keyword_vectors_favour_repeated_content_words():
    words = keyword_vector("Truce falters", "The truce failed. Talks on the truce go on, he said.")
    assert max(words, key=words.get) == "truce"
    assert "said" not in words and "the" not in words


def test_relatedness_weighs_entities_then_vocabulary():
    same = relatedness({"a": 1.0}, {"a": 1.0}, {"truce": 1.0}, {"truce": 1.0})
    entities_only = relatedness({"a": 1.0}, {"a": 1.0}, {"truce": 1.0}, {"chip": 1.0})
    nothing = relatedness({"a": 1.0}, {"b": 1.0}, {"truce": 1.0}, {"chip": 1.0})
    assert same == 1.0 and 0 < entities_only < same and nothing == 0.0


def test_articles_sharing_no_salient_entity_are_not_related(enrich_settings):
    a, b = ArticleFactory(), ArticleFactory()
    enrich_article(a, FakeRecogniser(entity("Kyiv", "place")))
    enrich_article(b, FakeRecogniser(entity("Laura Chen")))
    assert not RelatedArticle.objects.exists()


def test_two_articles_about_the_same_events_form_a_story_and_an_unrelated_one_does_not(
    enrich_settings, spacy_recogniser
):
    now = timezone.now()
    first = gold_article("putin-bilateral-talks", published_at=now - timedelta(days=1))
    unrelated = gold_article("coty-stock", published_at=now - timedelta(hours=5))
    other_war_news = gold_article("esper-hanoi", published_at=now - timedelta(hours=3))
    follow_up = ArticleFactory(headline=FOLLOW_UP[0], body=FOLLOW_UP[1], published_at=now)
    for article in (first, unrelated, other_war_news, follow_up):
        enrich_article(article, spacy_recogniser)

    story = Story.objects.get()
    members = set(StoryArticle.objects.filter(story=story).values_list("article_id", flat=True))
    assert members == {first.pk, follow_up.pk}
    assert story.title == first.headline
    assert story.first_seen == first.published_at and story.last_seen == follow_up.published_at

    related = list(
        RelatedArticle.objects.filter(article=first).values_list("related_id", flat=True)
    )
    assert related[0] == follow_up.pk
    assert unrelated.pk not in related
    assert not RelatedArticle.objects.filter(article=unrelated).exists()


def test_the_same_events_a_month_apart_are_related_but_not_one_story(
    enrich_settings, spacy_recogniser
):
    now = timezone.now()
    first = gold_article("putin-bilateral-talks", published_at=now - timedelta(days=30))
    later = ArticleFactory(headline=FOLLOW_UP[0], body=FOLLOW_UP[1], published_at=now)
    enrich_article(first, spacy_recogniser)
    enrich_article(later, spacy_recogniser)
    assert RelatedArticle.objects.filter(article=later, related=first).exists()
    assert not Story.objects.exists()


def test_an_article_that_drifts_away_leaves_its_story(enrich_settings):
    now = timezone.now()
    a = ArticleFactory(
        headline="Truce talks in Kyiv", body="Truce talks in Kyiv went on.", published_at=now
    )
    b = ArticleFactory(
        headline="Truce talks in Kyiv resume", body="Truce talks in Kyiv resumed.", published_at=now
    )
    kyiv = FakeRecogniser(entity("Kyiv", "place"), entity("Volodymyr Zelenskyy"))
    enrich_article(a, kyiv)
    enrich_article(b, kyiv)
    assert Story.objects.count() == 1
    b.headline, b.body = "Chip launch", "A chipmaker launched a processor."
    enrich_article(b, FakeRecogniser(entity("Laura Chen")))
    assert not Story.objects.exists()  # a story of one article is no story
