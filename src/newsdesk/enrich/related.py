"""Related stories by shared entities. Pure Python.

Each story is a vector of entity name -> salience; two stories are related as far as
the same entities matter in both (cosine similarity), so a passing mention of "Paris"
counts for little against a shared lead subject.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import datetime


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine similarity of two sparse non-negative vectors; 0.0 if either is empty."""
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b[name] for name, weight in a.items() if name in b)
    if not dot:
        return 0.0
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def related_scores(
    target_entities: dict[str, float],
    candidates: dict[int, dict[str, float]],
    *,
    min_score: float = 0.0,
    limit: int | None = None,
) -> list[tuple[int, float]]:
    """(story id, score) for candidates sharing entities with the target, best first.

    Stories sharing nothing are left out; ties go to the lower (older) id so the order
    is stable.
    """
    scored = []
    for story_id, entities in candidates.items():
        score = cosine(target_entities, entities)
        if score > min_score:
            scored.append((story_id, round(score, 6)))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:limit] if limit is not None else scored


def group_timeline(
    stories: dict[int, tuple[datetime, dict[str, float]]], *, threshold: float = 0.35
) -> list[list[int]]:
    """Group stories into running threads: a story joins a thread when it is related
    (score >= threshold) to any story already in it. Each thread is in date order; threads
    are ordered newest-first by their latest story. Single stories form threads of one.
    """
    ids = sorted(stories, key=lambda i: (stories[i][0], i))
    parent = {i: i for i in ids}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for n, a in enumerate(ids):
        for b in ids[n + 1 :]:
            if cosine(stories[a][1], stories[b][1]) >= threshold:
                parent[root(b)] = root(a)

    threads: dict[int, list[int]] = {}
    for i in ids:
        threads.setdefault(root(i), []).append(i)
    return sorted(threads.values(), key=lambda t: (stories[t[-1]][0], t[-1]), reverse=True)


# --- vocabulary ------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*[^\W_]")
_STOPWORDS = frozenset(
    """about above after again against also although among another around because been
    before being below between both could does doing down during each even ever every
    from further have having here however into itself just last less made make many more
    most much must near never next only other over said same says should since some still
    such than that their theirs them then there these they this those though through under
    until very want were what when where which while will with within without would year
    years your told tells according added week weeks month months today yesterday monday
    tuesday wednesday thursday friday saturday sunday people time including""".split()  # noqa: SIM905
)


def keyword_vector(headline: str, body: str, limit: int = 30) -> dict[str, float]:
    """The article's most frequent content words (headline words count double),
    log-damped, for the "same vocabulary" part of relatedness."""
    counts: dict[str, float] = {}
    for weight, text in ((2.0, headline), (1.0, body)):
        for match in _WORD_RE.finditer(text.lower()):
            word = match.group(0).replace("’", "'").removesuffix("'s")
            if len(word) >= 4 and word not in _STOPWORDS:
                counts[word] = counts.get(word, 0.0) + weight
    top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
    return {word: round(1.0 + math.log(count), 4) for word, count in top}


def relatedness(
    entities_a: Mapping[str, float],
    entities_b: Mapping[str, float],
    words_a: Mapping[str, float],
    words_b: Mapping[str, float],
    entity_weight: float = 0.65,
) -> float:
    """0..1: shared salient entities, then shared vocabulary."""
    score = entity_weight * cosine(entities_a, entities_b)
    score += (1.0 - entity_weight) * cosine(words_a, words_b)
    return round(score, 4)
