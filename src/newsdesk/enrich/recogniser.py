"""The entity recogniser for this process: loaded once, or known to be missing.

Loading spaCy's model takes about a second and some 100 MB, so a worker does it once
and keeps it. When spaCy or the model is missing the site goes on without enrichment;
``entities.load_recogniser`` logs one warning saying so, and we never retry.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings

from newsdesk.articles.models import ArticleTag, Tag
from newsdesk.enrich.entities import Recogniser, load_recogniser
from newsdesk.enrich.models import EntityAlias

_lock = threading.Lock()
_loaded: dict[str, Recogniser | None] = {}

ENTITY_TAG_KINDS = (Tag.Kind.PERSON, Tag.Kind.PLACE, Tag.Kind.ORGANISATION)


def get_recogniser() -> Recogniser | None:
    """The process-wide recogniser for settings.ENRICH_SPACY_MODEL, or None without one."""
    model_name = settings.ENRICH_SPACY_MODEL
    with _lock:
        if model_name not in _loaded:
            _loaded[model_name] = load_recogniser(model_name)
        return _loaded[model_name]


def forget_recogniser() -> None:
    """Drop the cached recogniser (tests, or after installing a model)."""
    with _lock:
        _loaded.clear()


def known_names() -> dict[str, tuple[str, str]]:
    """Names people chose: person/place/organisation tags an editor or an import
    accepted, and the aliases editors entered, as alias -> (canonical name, kind).

    Automatic tags and learned aliases are left out on purpose: a recognition mistake
    would otherwise come back with full confidence in every later article."""
    known: dict[str, tuple[str, str]] = {}
    rows = (
        Tag.objects.filter(
            kind__in=ENTITY_TAG_KINDS,
            article_tags__state=ArticleTag.State.ACCEPTED,
            article_tags__origin__in=[ArticleTag.Origin.EDITOR, ArticleTag.Origin.IMPORT],
        )
        .values_list("name", "kind")
        .distinct()
    )
    for name, kind in rows:
        known[name] = (name, kind)
    editor_aliases = EntityAlias.objects.filter(automatic=False)
    for alias, name, kind in editor_aliases.values_list("alias", "entity__name", "entity__kind"):
        known.setdefault(alias, (name, kind))
    return known


_KNOWN_TTL_SECONDS = 60.0
_known_cache: tuple[float, dict[str, tuple[str, str]]] | None = None


def cached_known_names() -> dict[str, tuple[str, str]]:
    """known_names(), re-read at most once a minute: a worker enriching article after
    article need not scan every tag each time, and an editor's new tag counts soon."""
    global _known_cache
    now = time.monotonic()
    with _lock:
        if _known_cache is None or now - _known_cache[0] > _KNOWN_TTL_SECONDS:
            _known_cache = (now, known_names())
        return _known_cache[1]


def forget_known_names() -> None:
    global _known_cache
    with _lock:
        _known_cache = None
