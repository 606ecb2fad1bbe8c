"""Canonical name and kind for each span, judged with the rest of the article: a lone
surname is the full name used elsewhere in it, "DEA" the agency named in full, "Ulta"
the "Ulta Beauty" of an earlier line; then the tables and gazetteer of ``names``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from newsdesk.enrich.names import (
    _LABEL_KIND,
    _NAME_CONNECTORS,
    _NAME_LIKE,
    _NEVER_TAGS,
    _ORG_HEAD_WORDS,
    ORGANISATION,
    PERSON,
    PLACE,
    _looks_like_name,
    _lookup,
    _Resolved,
    _title_if_shouted,
    builtin_aliases,
    clean_surface,
    gazetteer,
    is_demonym,
    surname_of,
)


def _surname_owners(full_names: Iterable[str]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for name in full_names:
        owners.setdefault(surname_of(name), set()).add(name)
    return owners


def _same_person(a: str, b: str) -> bool:
    """ "Patrick Carlineo Jr.", "Pat Carlineo", "Patrick W. Carlineo": one person."""
    first_a, first_b = a.split()[0], b.split()[0]
    return surname_of(a) == surname_of(b) and (
        first_a.startswith(first_b) or first_b.startswith(first_a)
    )


def _initials(name: str) -> str:
    return "".join(
        w[0] for w in name.split() if w.lower() not in _NAME_CONNECTORS and w[0].isalpha()
    )


@dataclass
class _Context:
    """What the rest of the article says about a span: the people named in full, the
    organisations named in full, and the text itself."""

    variants: dict[str, str]  # full person name as written -> the name used for that person
    surnames: dict[str, set[str]]
    first_names: dict[str, set[str]]
    acronyms: dict[str, str]
    org_heads: dict[str, set[str]]
    org_names: set[str]
    lowercase_words: set[str]
    surfaces: set[str]


def _context(
    cleaned: list[str],
    spans: list[tuple[str, str]],
    from_tables: Callable[[str], _Resolved | None],
    strong: frozenset[str],
    text: str,
) -> _Context:
    lone_people = {
        c
        for c, (_, label) in zip(cleaned, spans, strict=True)
        if label == "PERSON" and " " not in c
    }
    written: list[str] = []
    orgs: list[str] = []
    for surface, (_, label) in zip(cleaned, spans, strict=True):
        hit = from_tables(surface)
        multi = len(surface.split()) > 1
        if hit:
            if hit.kind == PERSON and " " in hit.name:
                written.append(hit.name)
            elif hit.kind == ORGANISATION and " " in hit.name:
                orgs.append(hit.name)
        elif not multi or surface in strong or not _looks_like_name(surface):
            continue
        elif label == "PERSON" and surface.split()[-1].lower() not in _ORG_HEAD_WORDS:
            written.append(surface)
        elif label in _NAME_LIKE and surname_of(surface) in lone_people:
            written.append(surface)  # "Mason Rudolph" (ORG) when "Rudolph" is a PERSON
        elif label in ("ORG", "PERSON"):
            orgs.append(surface)
    variants: dict[str, str] = {}
    for name in written:  # the first way of writing a person's name is theirs
        variants.setdefault(
            name, next((v for v in variants.values() if _same_person(name, v)), name)
        )
    people = set(variants.values())
    first_names: dict[str, set[str]] = {}
    for name in people:
        first_names.setdefault(name.split()[0], set()).add(name)
    org_heads: dict[str, set[str]] = {}
    for org in orgs:
        org_heads.setdefault(org.split()[0], set()).add(org)
    return _Context(
        variants=variants,
        surnames=_surname_owners(people),
        first_names=first_names,
        acronyms={_initials(o): o for o in orgs if len(o.split()) > 1},
        org_heads=org_heads,
        org_names=set(orgs),
        lowercase_words=set(re.findall(r"\b[a-z][a-z-]+\b", text)),
        surfaces=set(cleaned),
    )


def resolve_spans(
    spans: list[tuple[str, str]],
    known: dict[str, tuple[str, str]] | None = None,
    text: str = "",
) -> list[_Resolved | None]:
    """Decide canonical name and kind for each (text, spaCy label); None means not a tag.

    ``text`` is the article, for the context rules (a capitalised word that also occurs
    in lowercase is an ordinary word at a sentence start, not a name).
    """
    known = known or {}
    aliases = builtin_aliases()
    strong, weak = gazetteer()
    cleaned = [_title_if_shouted(clean_surface(t, label), known, strong) for t, label in spans]

    def from_tables(surface: str) -> _Resolved | None:
        for table, conf in ((known, 1.0), (aliases, 0.95)):
            hit = _lookup(table, surface)
            if hit:
                return _Resolved(surface, hit[0], hit[1], conf)
        return None

    context = _context(cleaned, spans, from_tables, strong, text)
    return [
        _resolve_one(surface, label, from_tables, context, strong, weak)
        for surface, (_, label) in zip(cleaned, spans, strict=True)
    ]


def _resolve_one(
    surface: str,
    label: str,
    from_tables: Callable[[str], _Resolved | None],
    context: _Context,
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
    if not _looks_like_name(surface) or is_demonym(surface, label, strong):
        return None
    first, _, rest = surface.partition(" ")
    if rest and rest in context.surfaces and is_demonym(first, label, strong):
        return _resolve_one(rest, label, from_tables, context, strong, weak)  # "Afghan Taliban"
    if surface in context.variants:
        return _Resolved(surface, context.variants[surface], PERSON, 0.8)
    if " " not in surface:
        owners = context.surnames.get(surface, set())
        if len(owners) == 1:
            return _Resolved(surface, next(iter(owners)), PERSON, 0.85)
        if surface.isupper() and surface in context.acronyms:  # "DEA" after its full name
            return _Resolved(surface, context.acronyms[surface], ORGANISATION, 0.8)
        heads = context.org_heads.get(surface, set())
        if len(heads) == 1 and surface not in weak:  # "Ulta" after "Ulta Beauty"
            return _Resolved(surface, next(iter(heads)), ORGANISATION, 0.75)
        firsts = context.first_names.get(surface, set())
        if len(firsts) == 1 and not owners and surface not in strong:  # "Liu" after "Liu Xiaming"
            return _Resolved(surface, next(iter(firsts)), PERSON, 0.75)
        if surface.lower() in context.lowercase_words and surface not in weak:
            return None  # "Televised", "Border": an ordinary word opening a sentence
    if surface in strong or (label in ("GPE", "LOC") and surface in weak):
        return _Resolved(surface, surface, PLACE, 0.9)
    if surface in context.org_names or surface.split()[-1].lower() in _ORG_HEAD_WORDS:
        return _Resolved(surface, surface, ORGANISATION, 0.8 if " " in surface else 0.6)
    if "-" in surface and all(p in strong or from_tables(p) for p in surface.split("-")):
        return None  # "U.S.-Mexico": two places, said together
    kind = _LABEL_KIND.get(label)
    if not kind:
        return None
    # A two-word capitalised PERSON span ("Dmitry Peskov") is rarely wrong; one word often is.
    confidence = 0.8 if kind == PERSON and " " in surface else 0.6
    return _Resolved(surface, surface, kind, confidence)
