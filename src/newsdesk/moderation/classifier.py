"""A local spam filter: multinomial naive Bayes over words and a few spam features.

Why hand-rolled rather than scikit-learn:

* zero heavy dependencies: no numpy/scipy/sklearn in the web image for ~150 lines;
* incremental training: each moderator decision is one ``train``/``untrain`` call,
  no refitting a vectoriser over the whole corpus;
* microsecond scoring: a dict lookup per token, fine to run inline on every post;
* explainable: ``top_features`` names the tokens behind a score, so a moderator
  can see *why* a comment was held;
* the model is a small JSON document (token counts) that can be stored anywhere.

Maths: P(token | class) uses Laplace (add-one) smoothing over the shared
vocabulary; everything is summed in log space so long comments do not underflow.
Tokens never seen in training are ignored (they carry no evidence either way).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import urlsplit

__all__ = [
    "LABELS",
    "LabelError",
    "LabelsError",
    "SpamClassifier",
    "load_labels_csv",
    "tokenize",
]

LABELS = ("spam", "ham")
# A score is evidence, never certainty: keep it off 0 and 1 so that thresholds
# and averages behave, and no single comment reads as "100% spam".
MIN_SCORE = 0.001
MAX_SCORE = 0.999
_JSON_VERSION = 1

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_MONEY = re.compile(
    r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:usd|eur|gbp|dollars?|euros?|k\$)\b", re.IGNORECASE
)
# Eight or more digits with phone-ish separators, e.g. +1 (555) 123-4567.
_PHONE = re.compile(r"\+?\d(?:[\s().-]*\d){7,}")
_PUNCT_RUN = re.compile(r"([!?$*.])\1{2,}|[!?]{2,}")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_CAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")


def _domain(url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # malformed ports, brackets...
        return ""
    return host.removeprefix("www.")


def tokenize(text: str) -> list[str]:
    """Lowercased words plus feature tokens spam tends to carry.

    Feature tokens contain a colon so they can never collide with a word:
    ``url:<domain>`` and ``has:link`` per link, ``has:email``, ``has:money``,
    ``has:phone``, ``has:allcaps`` per shouted word, ``has:punct`` per run like
    "!!!" or "???". URLs, emails and phone numbers are removed before word
    splitting so their fragments ("http", "www", digits) don't add noise.
    """
    tokens: list[str] = []
    for url in _URL.findall(text):
        tokens.append("has:link")
        domain = _domain(url)
        if domain:
            tokens.append("url:" + domain)
    text = _URL.sub(" ", text)
    tokens.extend("has:email" for _ in _EMAIL.findall(text))
    text = _EMAIL.sub(" ", text)
    tokens.extend("has:money" for _ in _MONEY.findall(text))
    tokens.extend("has:phone" for _ in _PHONE.findall(text))
    text = _PHONE.sub(" ", text)
    tokens.extend("has:allcaps" for _ in _CAPS_WORD.findall(text))
    tokens.extend("has:punct" for _ in _PUNCT_RUN.finditer(text))
    tokens.extend(w.lower() for w in _WORD.findall(text) if len(w) <= 40)
    return tokens


class _ClassCounts:
    """Token counts and document count for one label."""

    def __init__(self) -> None:
        self.docs = 0
        self.tokens: Counter[str] = Counter()
        self.total = 0


class SpamClassifier:
    """Multinomial naive Bayes with two labels, 'spam' and 'ham'."""

    def __init__(self) -> None:
        self._counts = {label: _ClassCounts() for label in LABELS}
        # token -> count over both labels; its size is the smoothing vocabulary.
        self._vocab: Counter[str] = Counter()

    @property
    def n_spam(self) -> int:
        return self._counts["spam"].docs

    @property
    def n_ham(self) -> int:
        return self._counts["ham"].docs

    def train(self, text: str, label: str) -> None:
        counts = self._counts[_check_label(label)]
        tokens = Counter(tokenize(text))
        counts.docs += 1
        counts.tokens.update(tokens)
        counts.total += sum(tokens.values())
        self._vocab.update(tokens)

    def untrain(self, text: str, label: str) -> None:
        """Undo an earlier ``train(text, label)`` exactly (a moderator changed
        their mind). Raises ValueError, changing nothing, if that text was not
        trained with that label."""
        counts = self._counts[_check_label(label)]
        tokens = Counter(tokenize(text))
        if counts.docs < 1 or any(counts.tokens[t] < n for t, n in tokens.items()):
            raise ValueError(f"text was not trained as {label!r}")
        counts.docs -= 1
        counts.tokens.subtract(tokens)
        counts.total -= sum(tokens.values())
        self._vocab.subtract(tokens)
        # Drop zeros so an untrained model is identical to one never trained.
        for counter in (counts.tokens, self._vocab):
            for t in tokens:
                if counter[t] <= 0:
                    del counter[t]

    def _log_likelihoods(self, token: str) -> tuple[float, float]:
        vocab_size = len(self._vocab)
        spam, ham = self._counts["spam"], self._counts["ham"]
        return (
            math.log((spam.tokens[token] + 1) / (spam.total + vocab_size)),
            math.log((ham.tokens[token] + 1) / (ham.total + vocab_size)),
        )

    def _known(self, text: str) -> Counter[str]:
        return Counter(t for t in tokenize(text) if t in self._vocab)

    def score(self, text: str) -> float:
        """Probability that ``text`` is spam, within [MIN_SCORE, MAX_SCORE].

        0.5 (no opinion) until both labels have at least one example, because a
        one-label model cannot tell anything apart, and when no token is known.
        """
        if self.n_spam == 0 or self.n_ham == 0:
            return 0.5
        known = self._known(text)
        if not known:
            return 0.5
        log_odds = math.log(self.n_spam / self.n_ham)
        for token, n in known.items():
            log_spam, log_ham = self._log_likelihoods(token)
            log_odds += n * (log_spam - log_ham)
        return _clamp(_sigmoid(log_odds))

    def top_features(self, text: str, n: int = 5) -> list[tuple[str, float]]:
        """The ``n`` known tokens that moved the score most, strongest first.

        Each weight is occurrences × log(P(token|spam) / P(token|ham)):
        positive pushes towards spam, negative towards ham.
        """
        if self.n_spam == 0 or self.n_ham == 0:
            return []
        weights = []
        for token, count in self._known(text).items():
            log_spam, log_ham = self._log_likelihoods(token)
            weights.append((token, count * (log_spam - log_ham)))
        weights.sort(key=lambda tw: (-abs(tw[1]), tw[0]))
        return weights[:n]

    def to_json(self) -> str:
        data = {
            "version": _JSON_VERSION,
            **{
                label: {"docs": c.docs, "tokens": dict(c.tokens)}
                for label, c in self._counts.items()
            },
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    @classmethod
    def from_json(cls, s: str) -> SpamClassifier:
        """Rebuild a model saved by ``to_json``; ValueError if it is malformed."""
        try:
            data = json.loads(s)
            if data.get("version") != _JSON_VERSION:
                raise ValueError(f"unsupported model version {data.get('version')!r}")
            model = cls()
            for label in LABELS:
                docs = data[label]["docs"]
                tokens = data[label]["tokens"]
                if not _is_count(docs) or not all(
                    isinstance(t, str) and _is_count(n) and n > 0 for t, n in tokens.items()
                ):
                    raise ValueError(f"bad counts for {label!r}")
                counts = model._counts[label]
                counts.docs = docs
                counts.tokens = Counter(tokens)
                counts.total = sum(tokens.values())
                model._vocab.update(tokens)
        except (KeyError, TypeError, AttributeError, json.JSONDecodeError) as exc:
            raise ValueError(f"not a spam model: {exc}") from exc
        return model


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_label(label: str) -> str:
    if label not in LABELS:
        raise ValueError(f"label must be 'spam' or 'ham', not {label!r}")
    return label


def _sigmoid(x: float) -> float:
    # Split by sign so exp() never overflows on very long comments.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _clamp(p: float) -> float:
    return min(MAX_SCORE, max(MIN_SCORE, p))


class LabelError(NamedTuple):
    """A row of a labels CSV that was skipped."""

    line: int  # 1-based line where the record starts
    reason: str


class LabelsError(ValueError):
    """The labels file as a whole is unusable (e.g. wrong header)."""


def load_labels_csv(
    fileobj: Iterable[str],
) -> tuple[list[tuple[str, str]], list[LabelError]]:
    """Read a training CSV with header ``text,label`` (any order, extra columns
    ignored; label spam|ham in any case).

    Returns ``(rows, errors)``: good rows as (text, label) with the label
    lowercased, and one ``LabelError`` per skipped row, so a moderator can fix a
    large file in one pass instead of one error at a time. Blank lines are
    skipped silently. Raises ``LabelsError`` if the header is missing or lacks
    a ``text`` or ``label`` column, since then no row can be trusted.
    Open files with ``newline=""`` so quoted multi-line texts parse correctly.
    """
    reader = csv.reader(fileobj)
    try:
        header = next(reader)
    except StopIteration:
        raise LabelsError("line 1: empty file, expected header text,label") from None
    except csv.Error as exc:
        raise LabelsError(f"line 1: {exc}") from None
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if "text" not in names or "label" not in names:
        raise LabelsError(f"line 1: header must contain text and label, got {header!r}")
    text_col, label_col = names.index("text"), names.index("label")
    width = max(text_col, label_col) + 1

    rows: list[tuple[str, str]] = []
    errors: list[LabelError] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(LabelError(start, f"unreadable CSV: {exc}"))
            break  # the reader cannot resynchronise after a broken quote
        if not record or all(not cell.strip() for cell in record):
            continue
        if len(record) < width:
            errors.append(LabelError(start, f"expected {width} columns, got {len(record)}"))
            continue
        text, label = record[text_col], record[label_col].strip().lower()
        if label not in LABELS:
            errors.append(
                LabelError(start, f"label must be spam or ham, got {record[label_col]!r}")
            )
        elif not text.strip():
            errors.append(LabelError(start, "empty text"))
        else:
            rows.append((text, label))
    return rows, errors
