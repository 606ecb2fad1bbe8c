"""Storing enrichment: canonical entities, automatic tags and the editor's accept/reject."""

import pytest

from newsdesk.articles.models import ArticleTag
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.enrich.models import ArticleEntity, Entity, EntityAlias, Quote
from newsdesk.enrich.services import (
    accept_suggestions,
    enrich_article,
    needs_enrichment,
    reject_suggestions,
)
from newsdesk.enrich.tests.conftest import FakeRecogniser, entity

pytestmark = pytest.mark.django_db


def links(article):
    return {
        link.tag.name: (link.origin, link.state)
        for link in ArticleTag.objects.filter(article=article).select_related("tag")
    }


def test_salient_entities_become_visible_tags_and_the_rest_suggestions(enrich_settings):
    enrich_settings.ENRICH_VISIBLE_TAGS = 2
    article = ArticleFactory()
    recogniser = FakeRecogniser(
        entity("Vladimir Putin", salience=0.9),
        entity("Kyiv", "place", salience=0.8),
        entity("Kremlin", "organisation", salience=0.5),
        entity("Paris", "place", salience=0.05),  # below the suggestion floor
    )
    result = enrich_article(article, recogniser)
    assert links(article) == {
        "Vladimir Putin": ("automatic", "accepted"),
        "Kyiv": ("automatic", "accepted"),
        "Kremlin": ("automatic", "suggested"),
    }
    assert (result.accepted_tags, result.suggested_tags) == (2, 1)
    suggestion = ArticleTag.objects.get(article=article, tag__name="Kremlin")
    assert 0 < suggestion.confidence <= 1
    assert [t.name for t in article.visible_tags] == ["Kyiv", "Vladimir Putin"]


def test_one_kind_cannot_take_every_visible_tag(enrich_settings):
    article = ArticleFactory()
    places = [entity(n, "place", salience=0.9 - i / 100) for i, n in
              enumerate(["Kyiv", "Ukraine", "Russia", "Moscow", "London"])]  # fmt: skip
    enrich_article(article, FakeRecogniser(*places, entity("Volodymyr Zelenskyy", salience=0.6)))
    visible = {t.name for t in article.visible_tags}
    assert "Volodymyr Zelenskyy" in visible
    assert len(visible) == 4  # three places at most, and one person


def test_entities_are_stored_once_with_aliases_across_articles(enrich_settings):
    first, second = ArticleFactory(), ArticleFactory()
    enrich_article(first, FakeRecogniser(entity("Volodymyr Zelenskyy", aliases={"Zelenskyy"})))
    enrich_article(second, FakeRecogniser(entity("Volodymyr Zelenskyy", aliases={"Zelensky"})))
    zelenskyy = Entity.objects.get()
    assert zelenskyy.tag.name == "Volodymyr Zelenskyy" and zelenskyy.tag.kind == "person"
    assert set(zelenskyy.aliases.values_list("alias", flat=True)) == {
        "volodymyr zelenskyy", "zelenskyy", "zelensky",
    }  # fmt: skip
    assert ArticleEntity.objects.filter(entity=zelenskyy).count() == 2


def test_an_editor_alias_maps_a_new_spelling_to_the_existing_entity(enrich_settings):
    article = ArticleFactory()
    enrich_article(article, FakeRecogniser(entity("Kyiv", "place")))
    EntityAlias.objects.create(alias="Kiew", entity=Entity.objects.get(name="Kyiv"))
    other = ArticleFactory()
    enrich_article(other, FakeRecogniser(entity("Kiew", "place")))
    assert Entity.objects.count() == 1
    assert links(other) == {"Kyiv": ("automatic", "accepted")}


def test_a_rejected_suggestion_never_comes_back(enrich_settings):
    article = ArticleFactory()
    recogniser = FakeRecogniser(entity("Donald Trump", salience=0.2))
    enrich_article(article, recogniser)
    suggested = ArticleTag.objects.filter(article=article, state="suggested")
    assert reject_suggestions(suggested) == 1
    recogniser.found[0].salience = 0.95  # even when it later looks salient
    enrich_article(article, recogniser)
    assert links(article) == {"Donald Trump": ("automatic", "rejected")}
    assert article.visible_tags == []


def test_an_accepted_suggestion_becomes_the_editors_and_stays(enrich_settings):
    article = ArticleFactory()
    recogniser = FakeRecogniser(entity("Dmitry Peskov", salience=0.2))
    enrich_article(article, recogniser)
    accept_suggestions(ArticleTag.objects.filter(article=article))
    recogniser.found.clear()  # no longer recognised at all
    enrich_article(article, recogniser)
    assert links(article) == {"Dmitry Peskov": ("editor", "accepted")}


def test_editor_and_import_tags_are_never_changed(enrich_settings):
    article = ArticleFactory(tag_names=["Kyiv"])  # an editor's tag
    ArticleTag.objects.filter(article=article).update(origin="import")
    enrich_article(article, FakeRecogniser(entity("Kyiv", "place", salience=0.01)))
    assert links(article) == {"Kyiv": ("import", "accepted")}


def test_stale_automatic_tags_go_when_the_text_changes(enrich_settings):
    article = ArticleFactory()
    enrich_article(article, FakeRecogniser(entity("Kyiv", "place")))
    enrich_article(article, FakeRecogniser(entity("Moscow", "place")))
    assert links(article) == {"Moscow": ("automatic", "accepted")}
    assert list(ArticleEntity.objects.values_list("entity__name", flat=True)) == ["Moscow"]


def test_content_hash_makes_a_second_run_unnecessary(enrich_settings):
    article = ArticleFactory()
    assert needs_enrichment(article)
    enrich_article(article, FakeRecogniser())
    assert not needs_enrichment(article)
    article.body += "\n\nA new paragraph."
    assert needs_enrichment(article)


def test_quotes_are_stored_with_their_speaker(enrich_settings):
    article = ArticleFactory(body='"We are ready," Zelenskyy said. Nobody knew "why."')
    enrich_article(article, FakeRecogniser(entity("Volodymyr Zelenskyy", aliases={"Zelenskyy"})))
    quotes = list(Quote.objects.filter(article=article).select_related("speaker"))
    assert [(q.text, q.speaker and q.speaker.name) for q in quotes] == [
        ("We are ready", "Volodymyr Zelenskyy"),
        ("why.", None),
    ]


def test_sample_article_gets_the_issue_tags_and_quotes(
    enrich_settings, spacy_recogniser, sample_text
):
    from newsdesk.articles.services import StoryInput, upsert_story

    paragraphs = [p.strip() for p in sample_text.split("\n\n") if p.strip()]
    body = "\n\n".join(paragraphs[2 : paragraphs.index("Tags")])
    article = upsert_story(
        StoryInput(headline=paragraphs[0], body=body, source_name="reuters")
    ).article
    enrich_article(article, spacy_recogniser)
    names = {e.entity.name: e.entity.kind for e in ArticleEntity.objects.select_related("entity")}
    for person in ("Vladimir Putin", "Volodymyr Zelenskyy", "Dmitry Peskov", "Donald Trump"):
        assert names[person] == "person"
    for place in ("Russia", "Ukraine", "Kyiv", "Moscow", "London", "Paris", "Pokrovsk",
                  "United States", "United Kingdom", "France"):  # fmt: skip
        assert names[place] == "place"
    assert names["Kremlin"] == "organisation"
    tags = set(links(article))
    assert not tags & {"Monday", "Easter", "30-day", "Russian", "Ukrainian"}
    assert {"Vladimir Putin", "Volodymyr Zelenskyy"} <= {t.name for t in article.visible_tags}
    said = {
        q.text: q.speaker.name for q in Quote.objects.filter(article=article, speaker__isnull=False)
    }
    assert said["Actions always speak louder than words"] == "Volodymyr Zelenskyy"
    assert said["ready to move forward as constructively as possible."] == "Volodymyr Zelenskyy"
    assert said["negotiations and discussions with the Ukrainian side."] == "Dmitry Peskov"


def test_site_tags_are_known_names_for_later_articles(enrich_settings, spacy_recogniser):
    """A transliteration the model splits differently still lands on the site's entity."""
    first = ArticleFactory(
        headline="Zelenskiy visits Kiev", body="Volodymyr Zelenskiy spoke in Kiev on Monday."
    )
    enrich_article(first, spacy_recogniser)
    second = ArticleFactory(headline="Zelensky in Kyiv", body="Zelensky met officials in Kyiv.")
    enrich_article(second, spacy_recogniser)
    assert set(Entity.objects.values_list("name", flat=True)) >= {"Volodymyr Zelenskyy", "Kyiv"}
    assert not Entity.objects.filter(name__in=["Zelensky", "Zelenskiy", "Kiev"]).exists()
    for article in (first, second):
        assert {"Volodymyr Zelenskyy", "Kyiv"} <= {t.name for t in article.visible_tags}


def test_only_names_people_chose_are_trusted_as_known(enrich_settings):
    from newsdesk.enrich.recogniser import known_names

    article = ArticleFactory(tag_names=["Acme Corp"])
    acme = ArticleTag.objects.get(article=article).tag
    acme.kind = "organisation"
    acme.save()
    enrich_article(article, FakeRecogniser(entity("Chipmaker", "organisation", salience=0.9)))
    EntityAlias.objects.create(alias="Acme", entity=Entity.objects.get(name="Chipmaker"))
    known = known_names()
    assert known["Acme Corp"] == ("Acme Corp", "organisation")  # an editor's tag
    assert known["acme"] == ("Chipmaker", "organisation")  # an editor's alias
    assert "Chipmaker" not in known and "chipmaker" not in known  # learned automatically
