"""Quality on the hand-annotated gold set (tests/enrich_gold/), with the spaCy model.

The thresholds are the issue's goals; bench/enrichment_quality.py prints the numbers.
"""

from pathlib import Path

import pytest

from newsdesk.enrich.evaluation import evaluate, load_gold
from newsdesk.enrich.quotes import extract_quotes

GOLD = Path(__file__).resolve().parents[4] / "tests" / "enrich_gold"


@pytest.fixture(scope="module")
def gold_score(spacy_recogniser):
    if not GOLD.exists():
        pytest.skip("the gold set is not in this checkout")
    return evaluate(load_gold(GOLD), spacy_recogniser)


def test_gold_set_has_the_sample_and_fifteen_real_articles():
    articles = load_gold(GOLD)
    assert len(articles) >= 16
    assert "putin-bilateral-talks" in {a.name for a in articles}
    assert sum(1 for a in articles for _, speaker in a.quotes if speaker) >= 50


def test_entity_precision_and_recall_meet_the_goals(gold_score):
    assert gold_score.precision >= 0.9, gold_score.errors
    assert gold_score.recall >= 0.85, gold_score.errors


def test_quote_speakers_meet_the_goal_and_unattributed_quotes_stay_unattributed(gold_score):
    assert gold_score.speaker_accuracy >= 0.9, gold_score.errors
    assert gold_score.false_attributions == 0, gold_score.errors


def test_sample_quotes_are_attributed_as_annotated(spacy_recogniser):
    sample = next(a for a in load_gold(GOLD) if a.name == "putin-bilateral-talks")
    found = spacy_recogniser.entities(sample.headline, sample.body)
    said = [(q.text, q.speaker) for q in extract_quotes(sample.body, found)]
    assert said == [
        ("negotiations and discussions with the Ukrainian side.", "Dmitry Peskov"),
        ("Actions always speak louder than words,", "Volodymyr Zelenskyy"),
        ("ready to move forward as constructively as possible.", "Volodymyr Zelenskyy"),
        ("this week.", "Donald Trump"),
    ]
