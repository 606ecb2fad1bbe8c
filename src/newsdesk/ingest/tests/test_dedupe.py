import random

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.articles.services import content_fingerprint
from newsdesk.ingest.dedupe import (
    NEAR_DUPLICATE_BITS,
    hamming,
    is_near_duplicate,
    simhash,
    simhash_signed,
)

STORY = (
    "The city council voted on Tuesday to expand the harbour ferry service to three new stops, "
    "ending a two-year dispute over who should pay for the new piers. Councillor Ana Ruiz, who "
    "sponsored the measure, said the ferries would take several hundred cars off the coastal road "
    "every morning once the stops open next spring. Opponents argued that the money would be better "
    "spent on buses, which reach more neighbourhoods, but the motion passed by nine votes to four "
    "after a long debate. The transport authority expects the first boats to run in April, subject "
    "to the delivery of two vessels ordered from a shipyard in the north of the country."
)
OTHER_STORY = (
    "A rare orchid thought to have vanished from the region was found last week by a retired "
    "schoolteacher walking her dog along an old railway embankment. Botanists from the university "
    "confirmed the find on Friday and asked the public not to look for the site, which they have "
    "kept secret to protect the plants from collectors. The species was last recorded nearby in "
    "1978, before the line closed and the embankment was left to grow wild."
)


def test_fingerprint_ignores_case_whitespace_and_quote_style():
    a = content_fingerprint("Council ‘expands’ ferries", "It said: “yes” — finally…")
    b = content_fingerprint("council 'expands'  FERRIES", 'It said: "yes" - finally...\n')
    assert a == b
    assert len(a) == 64 and int(a, 16) >= 0


def test_fingerprint_changes_when_the_words_change():
    assert content_fingerprint("Ferries", STORY) != content_fingerprint(
        "Ferries", STORY + " Update."
    )
    assert content_fingerprint("Ferries", STORY) != content_fingerprint("Buses", STORY)


def test_identical_text_has_distance_zero():
    assert hamming(simhash(STORY), simhash(STORY)) == 0


def test_story_republished_with_small_edits_is_near_duplicate():
    edited = STORY.replace("nine votes to four", "nine votes to three") + " Reuters contributed."
    assert is_near_duplicate(STORY, edited)


def test_cosmetic_differences_do_not_change_simhash():
    assert simhash(STORY.upper().replace(" ", "  ")) == simhash(STORY)


def test_unrelated_stories_are_not_near_duplicates():
    assert not is_near_duplicate(STORY, OTHER_STORY)
    assert hamming(simhash(STORY), simhash(OTHER_STORY)) > NEAR_DUPLICATE_BITS


def test_simhash_is_stable_across_runs():
    # Stored hashes must stay comparable after a restart, so no use of Python's hash().
    assert simhash("harbour ferry service") == simhash("harbour ferry service")
    assert simhash("") == 0


def test_signed_simhash_fits_a_bigint_column_and_compares_like_unsigned():
    for text in (STORY, OTHER_STORY, "a b c", "x"):
        signed = simhash_signed(text)
        assert -(2**63) <= signed < 2**63
        assert signed % 2**64 == simhash(text)
    assert hamming(simhash_signed(STORY), simhash(OTHER_STORY)) == hamming(
        simhash(STORY), simhash(OTHER_STORY)
    )


words = st.lists(
    st.sampled_from(
        [
            "harbour",
            "ferry",
            "council",
            "vote",
            "boat",
            "pier",
            "road",
            "bus",
            "spring",
            "april",
            "north",
            "shipyard",
            "money",
            "debate",
            "motion",
            "stop",
        ]
    ),
    min_size=40,
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(words)
def test_identical_word_lists_always_have_distance_zero(tokens):
    text = " ".join(tokens)
    assert hamming(simhash(text), simhash(text)) == 0
    assert 0 <= simhash(text) < 2**64


def article_of(word_count: int) -> str:
    """Article-sized text with realistic shingle variety (news stories run 400-800 words)."""
    vocabulary = (STORY + " " + OTHER_STORY).split()
    rng = random.Random(7)
    return " ".join(rng.choice(vocabulary) for _ in range(word_count))


LONG_STORY = article_of(450)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000), st.text(alphabet="xyzq", min_size=3, max_size=8))
def test_one_changed_word_in_an_article_is_still_a_near_duplicate(position, new_word):
    tokens = LONG_STORY.split()
    tokens[position % len(tokens)] = new_word
    assert is_near_duplicate(LONG_STORY, " ".join(tokens))


@given(
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
)
def test_hamming_is_symmetric_and_bounded(a, b):
    assert hamming(a, b) == hamming(b, a)
    assert 0 <= hamming(a, b) <= 64
    assert hamming(a, a) == 0
