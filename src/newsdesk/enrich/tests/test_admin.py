"""Editors review automatic tag suggestions in the admin: accept or reject."""

import pytest
from django.urls import reverse

from newsdesk.articles.models import ArticleTag
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.enrich.services import enrich_article
from newsdesk.enrich.tests.conftest import FakeRecogniser, entity

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestions(enrich_settings):
    article = ArticleFactory()
    enrich_article(
        article,
        FakeRecogniser(
            entity("Dmitry Peskov", salience=0.3), entity("Kremlin", "organisation", salience=0.25)
        ),
    )
    return ArticleTag.objects.filter(article=article, state="suggested")


def test_suggestions_are_listed_with_their_confidence(admin_client, suggestions):
    response = admin_client.get(reverse("admin:enrich_tagsuggestion_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dmitry Peskov" in html and "Kremlin" in html
    assert f"{suggestions.get(tag__name='Kremlin').confidence}" in html


@pytest.mark.parametrize(
    ("action", "state", "origin"),
    [("accept", "accepted", "editor"), ("reject", "rejected", "automatic")],
)
def test_editor_accepts_or_rejects_suggestions(admin_client, suggestions, action, state, origin):
    peskov = suggestions.get(tag__name="Dmitry Peskov")
    response = admin_client.post(
        reverse("admin:enrich_tagsuggestion_changelist"),
        {"action": action, "_selected_action": [peskov.pk]},
    )
    assert response.status_code == 302
    peskov.refresh_from_db()
    assert (peskov.state, peskov.origin) == (state, origin)
    listed = admin_client.get(reverse("admin:enrich_tagsuggestion_changelist")).content.decode()
    assert "Dmitry Peskov" not in listed and "Kremlin" in listed


def test_entity_admin_edits_aliases_inline(admin_client, suggestions):
    from newsdesk.enrich.models import Entity

    peskov = Entity.objects.get(name="Dmitry Peskov")
    response = admin_client.get(reverse("admin:enrich_entity_change", args=[peskov.pk]))
    assert response.status_code == 200 and "dmitry peskov" in response.content.decode()


def test_accepting_a_suggestion_refreshes_the_cached_article_page(
    client, admin_client, suggestions, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    article = suggestions.first().article
    assert "Dmitry Peskov" not in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:enrich_tagsuggestion_changelist"),
            {
                "action": "accept",
                "_selected_action": [suggestions.get(tag__name="Dmitry Peskov").pk],
            },
        )
    assert "Dmitry Peskov" in client.get(article.get_absolute_url()).content.decode()
