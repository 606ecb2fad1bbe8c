"""Scoring enrichment against hand-annotated gold articles (tests/enrich_gold/).

Each gold article lists its people, places and organisations by canonical name
("A|B" accepts either spelling), names that are fine either way ("optional": found or
not, they count for nothing) and its direct quotes as (opening words, speaker or None).

Entities: a found name matching a gold entry of the same kind is a true positive;
a second found name matching the same entry (a canonicalisation miss) and any name
matching nothing are false positives. Quotes: speaker accuracy is over gold quotes that
have a speaker; a quote not found at all counts as wrong.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from newsdesk.enrich.entities import Entity, Recogniser
from newsdesk.enrich.quotes import Quote, extract_quotes

KINDS = {"people": "person", "places": "place", "organisations": "organisation"}


def _fold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).casefold().removeprefix("the ")


def _alternates(entry: str) -> set[str]:
    return {_fold(name) for name in entry.split("|")}


@dataclass
class GoldArticle:
    name: str
    headline: str
    body: str
    entities: list[tuple[set[str], str]]  # (alternates, kind)
    optional: set[str]
    quotes: list[tuple[str, set[str] | None]]  # (opening words, speaker alternates)


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    untyped_tp: int = 0
    quotes_attributed: int = 0
    speakers_right: int = 0
    quotes_found: int = 0
    quotes_total: int = 0
    false_attributions: int = 0  # unattributed gold quotes given a speaker
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speakers_right / self.quotes_attributed if self.quotes_attributed else 1.0


def load_gold(directory: Path) -> list[GoldArticle]:
    annotations = json.loads((directory / "gold.json").read_text("utf-8"))
    articles = []
    for name, notes in annotations.items():
        headline, _, body = (directory / f"{name}.txt").read_text("utf-8").partition("\n\n")
        articles.append(
            GoldArticle(
                name=name,
                headline=headline.strip(),
                body=body.strip(),
                entities=[
                    (_alternates(entry), kind)
                    for key, kind in KINDS.items()
                    for entry in notes[key]
                ],
                optional={_fold(n) for n in notes.get("optional", [])},
                quotes=[
                    (_fold(text), _alternates(speaker) if speaker else None)
                    for text, speaker in notes["quotes"]
                ],
            )
        )
    return articles


def score_entities(article: GoldArticle, found: list[Entity], score: Score) -> None:
    matched: set[int] = set()
    for entity in found:
        name = _fold(entity.name)
        index = next((i for i, (alts, _) in enumerate(article.entities) if name in alts), None)
        if index is None:
            if name not in article.optional:
                score.fp += 1
                score.errors.append(f"{article.name}: extra {entity.kind} {entity.name!r}")
            continue
        kind = article.entities[index][1]
        if index in matched:
            score.fp += 1
            score.errors.append(f"{article.name}: duplicate {entity.name!r}")
        elif kind != entity.kind:
            score.fp += 1
            score.untyped_tp += 1
            matched.add(index)
            score.errors.append(f"{article.name}: {entity.name!r} is a {kind}, not {entity.kind}")
        else:
            score.tp += 1
            score.untyped_tp += 1
            matched.add(index)
    for i, (alts, kind) in enumerate(article.entities):
        if i not in matched:
            score.fn += 1
            score.errors.append(f"{article.name}: missed {kind} {sorted(alts)[0]!r}")
    # A kind mismatch also leaves its gold entry unfound for the typed score.
    score.fn += sum(
        1
        for i, (_, kind) in enumerate(article.entities)
        if i in matched
        and not any(_fold(e.name) in article.entities[i][0] and e.kind == kind for e in found)
    )


def score_quotes(article: GoldArticle, quotes: list[Quote], score: Score) -> None:
    for opening, speakers in article.quotes:
        score.quotes_total += 1
        hit = next((q for q in quotes if _fold(q.text).startswith(opening)), None)
        hit = hit or next((q for q in quotes if opening in _fold(q.text)), None)
        if hit is not None:
            score.quotes_found += 1
        said = _fold(hit.speaker) if hit and hit.speaker else None
        if speakers is None:
            if said:
                score.false_attributions += 1
                score.errors.append(f"{article.name}: {opening[:30]!r} given to {hit.speaker!r}")
            continue
        score.quotes_attributed += 1
        if said in speakers:
            score.speakers_right += 1
        else:
            got = "not found" if hit is None else repr(hit.speaker)
            score.errors.append(
                f"{article.name}: {opening[:30]!r} by {sorted(speakers)[0]!r}, got {got}"
            )


def evaluate(articles: list[GoldArticle], recogniser: Recogniser) -> Score:
    score = Score()
    for article in articles:
        found = recogniser.entities(article.headline, article.body)
        score_entities(article, found, score)
        score_quotes(article, extract_quotes(article.body, found), score)
    return score
