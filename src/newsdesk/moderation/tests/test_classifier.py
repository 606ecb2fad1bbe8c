"""The naive Bayes spam filter: accuracy on a synthetic corpus and its invariants."""

from __future__ import annotations

import io
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.moderation.classifier import (
    LabelError,
    LabelsError,
    SpamClassifier,
    load_labels_csv,
    tokenize,
)

# --- a small synthetic corpus -------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


# Words both kinds of comment use, so the model has to weigh evidence.
SHARED = words("the a this is it and you to of for on with great really just about")
HAM_WORDS = words(
    "article council budget reporter interview policy vote schedule transport "
    "school mayor argument evidence source agree disagree thanks correction "
    "neighbourhood housing rent bus library funding paragraph quote study"
)
SPAM_WORDS = words(
    "buy cheap free offer winner prize click discount pills casino bonus crypto "
    "investment guaranteed earn money fast deal limited exclusive loan"
)
SPAM_DOMAINS = ["cheap-pills.xyz", "win-big.top", "crypto-gains.biz", "bit.ly"]
HAM_DOMAINS = ["example.gov", "en.wikipedia.org", "bbc.co.uk"]


def make_ham(rng: random.Random) -> str:
    words = rng.choices(HAM_WORDS, k=rng.randint(5, 12)) + rng.choices(SHARED, k=4)
    # Some spam vocabulary leaks into honest comments ("free bus", "the deal").
    words += rng.choices(SPAM_WORDS, k=rng.randint(0, 1))
    rng.shuffle(words)
    text = " ".join(words).capitalize() + "."
    if rng.random() < 0.2:
        text += f" Source: https://{rng.choice(HAM_DOMAINS)}/report"
    return text


def make_spam(rng: random.Random) -> str:
    words = rng.choices(SPAM_WORDS, k=rng.randint(4, 10)) + rng.choices(SHARED, k=4)
    words += rng.choices(HAM_WORDS, k=rng.randint(0, 2))
    rng.shuffle(words)
    text = " ".join(words)
    extras = [
        f"https://{rng.choice(SPAM_DOMAINS)}/go?id={rng.randint(1, 999)}",
        f"only ${rng.randint(5, 99)}",
        "CALL NOW!!!",
        f"+1 555 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "ACT FAST???",
    ]
    return text + " " + " ".join(rng.sample(extras, k=rng.randint(1, 3)))


def corpus(seed: int, n: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [
        (make_spam(rng), "spam") if rng.random() < 0.4 else (make_ham(rng), "ham") for _ in range(n)
    ]


@pytest.fixture(scope="module")
def trained() -> SpamClassifier:
    model = SpamClassifier()
    for text, label in corpus(seed=1, n=300):
        model.train(text, label)
    return model


# --- tokenizer ----------------------------------------------------------------


def test_tokenize_lowercases_words():
    assert tokenize("Council VOTES today") == ["has:allcaps", "council", "votes", "today"]


def test_tokenize_extracts_link_domain_instead_of_url_fragments():
    tokens = tokenize("see https://www.Cheap-Pills.xyz/buy?now=1 please")
    assert tokens.count("has:link") == 1
    assert "url:cheap-pills.xyz" in tokens
    assert "https" not in tokens and "www" not in tokens


def test_tokenize_flags_money_phone_email_and_shouting():
    tokens = tokenize("WIN $500 now!!! call +44 20 7946 0958 or mail me@spam.example")
    for feature in ("has:money", "has:phone", "has:email", "has:allcaps", "has:punct"):
        assert feature in tokens, feature


def test_tokenize_does_not_flag_ordinary_sentence():
    tokens = tokenize("I read the 2024 report. Was it right?")
    assert not [t for t in tokens if t.startswith(("has:", "url:"))]


# --- scoring ------------------------------------------------------------------


def test_untrained_model_scores_one_half():
    assert SpamClassifier().score("buy cheap pills now") == 0.5


def test_one_label_model_has_no_opinion():
    model = SpamClassifier()
    model.train("buy cheap pills", "spam")
    assert model.score("buy cheap pills") == 0.5


def test_text_with_no_known_tokens_scores_one_half(trained):
    assert trained.score("zxqv plorb") == 0.5
    assert trained.score("") == 0.5


def test_classifies_held_out_corpus_at_least_90_percent(trained):
    held_out = corpus(seed=2, n=200)
    correct = sum((trained.score(text) >= 0.5) == (label == "spam") for text, label in held_out)
    assert correct / len(held_out) >= 0.9


def test_obvious_spam_and_ham_land_on_the_right_side(trained):
    assert trained.score("FREE casino bonus!!! https://win-big.top/x only $9") > 0.95
    assert trained.score("The council budget vote affects bus funding.") < 0.05


def test_scores_are_clamped_inside_unit_interval(trained):
    huge = "free casino bonus pills " * 2000
    assert 0.0 < trained.score(huge) < 1.0
    assert 0.0 < trained.score("council budget housing " * 2000) < 1.0


def test_top_features_explain_a_spam_score(trained):
    features = trained.top_features("cheap pills, council https://cheap-pills.xyz", n=3)
    assert len(features) == 3
    weights = [abs(w) for _, w in features]
    assert weights == sorted(weights, reverse=True)
    assert all(w > 0 for t, w in features if t in {"cheap", "pills", "has:link"})
    assert dict(trained.top_features("council"))["council"] < 0


def test_top_features_empty_when_untrained():
    assert SpamClassifier().top_features("anything") == []


# --- train / untrain / persistence --------------------------------------------


def test_counts_track_training():
    model = SpamClassifier()
    model.train("buy now", "spam")
    model.train("nice article", "ham")
    model.train("thanks", "ham")
    assert (model.n_spam, model.n_ham) == (1, 2)


def test_untrain_reverses_train(trained):
    model = SpamClassifier.from_json(trained.to_json())
    before = model.to_json()
    probe = "council budget casino"
    score_before = model.score(probe)
    model.train("brand new words council casino $5", "spam")
    assert model.score(probe) != score_before
    model.untrain("brand new words council casino $5", "spam")
    assert model.to_json() == before
    assert model.score(probe) == score_before


def test_untrain_of_unseen_text_raises_and_changes_nothing():
    model = SpamClassifier()
    model.train("buy pills", "spam")
    before = model.to_json()
    with pytest.raises(ValueError):
        model.untrain("buy pills", "ham")
    with pytest.raises(ValueError):
        model.untrain("buy pills twice", "spam")
    assert model.to_json() == before


def test_unknown_label_is_rejected():
    with pytest.raises(ValueError):
        SpamClassifier().train("x", "Spam")


def test_json_round_trip_gives_identical_scores(trained):
    restored = SpamClassifier.from_json(trained.to_json())
    assert (restored.n_spam, restored.n_ham) == (trained.n_spam, trained.n_ham)
    for text, _ in corpus(seed=3, n=50):
        assert restored.score(text) == trained.score(text)
        assert restored.top_features(text) == trained.top_features(text)
    assert restored.to_json() == trained.to_json()


@pytest.mark.parametrize(
    "bad",
    [
        "not json",
        "[]",
        json.dumps({"version": 99, "spam": {}, "ham": {}}),
        json.dumps({"version": 1, "spam": {"docs": 1, "tokens": {}}}),
        json.dumps(
            {"version": 1, "spam": {"docs": -1, "tokens": {}}, "ham": {"docs": 0, "tokens": {}}}
        ),
        json.dumps(
            {
                "version": 1,
                "spam": {"docs": 1, "tokens": {"x": "3"}},
                "ham": {"docs": 0, "tokens": {}},
            }
        ),
    ],
)
def test_from_json_rejects_malformed_models(bad):
    with pytest.raises(ValueError):
        SpamClassifier.from_json(bad)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["spam", "ham"]))
def test_train_then_untrain_is_identity_and_scores_stay_in_range(text, label):
    model = SpamClassifier()
    model.train("cheap pills", "spam")
    model.train("council vote", "ham")
    before = model.to_json()
    assert 0.0 <= model.score(text) <= 1.0
    model.train(text, label)
    assert 0.0 <= model.score(text) <= 1.0
    model.untrain(text, label)
    assert model.to_json() == before


# --- CSV loader -----------------------------------------------------------------


def test_load_labels_csv_reads_good_rows_and_reports_bad_ones():
    data = (
        "text,label\n"
        "Buy cheap pills,SPAM\n"
        "Nice article,ham\n"
        "\n"
        "no label here,\n"
        "just one column\n"
        ",spam\n"
        '"a quoted, multi\nline comment",Ham\n'
        "some text,eggs\n"
    )
    rows, errors = load_labels_csv(io.StringIO(data, newline=""))
    assert rows == [
        ("Buy cheap pills", "spam"),
        ("Nice article", "ham"),
        ("a quoted, multi\nline comment", "ham"),
    ]
    assert [e.line for e in errors] == [5, 6, 7, 10]
    assert "spam or ham" in errors[0].reason
    assert "columns" in errors[1].reason
    assert errors[2] == LabelError(7, "empty text")
    assert "'eggs'" in errors[3].reason


def test_load_labels_csv_accepts_header_in_any_order_with_bom():
    rows, errors = load_labels_csv(io.StringIO("\ufeffLabel,id,Text\nham,1,hello\n"))
    assert rows == [("hello", "ham")] and errors == []


@pytest.mark.parametrize("data", ["", "comment,kind\nx,spam\n"])
def test_load_labels_csv_rejects_missing_header(data):
    with pytest.raises(LabelsError):
        load_labels_csv(io.StringIO(data))


def test_loaded_rows_train_a_model():
    rows, _ = load_labels_csv(io.StringIO("text,label\nfree pills,spam\nnice piece,ham\n"))
    model = SpamClassifier()
    for text, label in rows:
        model.train(text, label)
    assert model.score("free pills") > 0.5 > model.score("nice piece")
