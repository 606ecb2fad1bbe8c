"""Related stories by shared entities. Pure Python.

Each story is a vector of entity name -> salience; two stories are related as far as
the same entities matter in both (cosine similarity), so a passing mention of "Paris"
counts for little against a shared lead subject.
"""

from __future__ import annotations

import math
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
