from datetime import timedelta

import pytest
from django.utils import timezone

from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory


@pytest.fixture
def corpus(db):
    """A small hand-made newsroom: the headline story, body-only mentions, other topics."""
    now = timezone.now()
    reuters = SourceFactory(name="Reuters", slug="reuters")
    ap = SourceFactory(name="AP", slug="ap")
    return {
        "headline": ArticleFactory(
            headline="Grain exports resume from Black Sea ports",
            body="Ships left Odesa on Monday.\n\nInsurers are cautious.",
            source=reuters,
            tag_names=["Ukraine"],
            published_at=now - timedelta(days=1),
        ),
        "body": ArticleFactory(
            headline="Markets close higher",
            body="Wheat and grain futures rose. Grain traders said grain exports were steady.",
            source=ap,
            tag_names=["Economy"],
            published_at=now - timedelta(days=3),
        ),
        "phrase": ArticleFactory(
            headline="Storm warning for the coast",
            body="The black storm clouds gathered over the sea near Varna.",
            source=ap,
            tag_names=["Weather"],
            published_at=now - timedelta(days=10),
        ),
        "tram": ArticleFactory(
            headline="Lviv opens a new tram line",
            body="The tram runs every six minutes. Grain is not involved.",
            source=reuters,
            tag_names=["Ukraine", "Transport"],
            published_at=now - timedelta(days=40),
        ),
    }
