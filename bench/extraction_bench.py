"""Article-extraction benchmark: trafilatura with defaults versus newsdesk's extract_html.

Runs both on the same real pages in one go and scores them with the data set's own
score.py (imported from the data folder, not copied, so the metric stays the published one).

    PYTHONPATH=src .venv/bin/python bench/extraction_bench.py

Data: $NEWSDESK_EXTRACTION_DATA, else ../shared/bench/extraction next to the repo.
Writes bench/results/extraction.json. Exits 0 with a message when the data is absent.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import trafilatura

from newsdesk.ingest.extract import ExtractionError, extract_html

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = REPO_ROOT / "bench" / "results" / "extraction.json"


def data_dir() -> Path:
    configured = os.environ.get("NEWSDESK_EXTRACTION_DATA")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "bench" / "extraction"


def load_scorer(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_score", folder / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def trafilatura_default(html: bytes, url: str | None) -> str:
    return trafilatura.extract(html, url=url) or ""


def newsdesk_extract(html: bytes, url: str | None) -> str:
    try:
        return extract_html(html, url=url).body
    except ExtractionError:
        return ""


def run(extractor: Callable[[bytes, str | None], str], pages: dict[str, bytes],
        truth: dict[str, dict]) -> tuple[dict[str, dict[str, str]], float]:
    started = time.perf_counter()
    predictions = {key: {"articleBody": extractor(html, truth[key].get("url"))}
                   for key, html in pages.items()}
    return predictions, time.perf_counter() - started


def main() -> int:
    folder = data_dir()
    truth_path = folder / "ground-truth.json"
    if not truth_path.exists():
        print(f"extraction bench data not found at {folder}; set NEWSDESK_EXTRACTION_DATA. Skipping.")
        return 0
    scorer = load_scorer(folder)
    truth = json.loads(truth_path.read_text())
    pages = {key: gzip.decompress((folder / "html" / f"{key}.html.gz").read_bytes()) for key in truth}

    results: dict[str, dict] = {}
    for name, extractor in [("trafilatura_default", trafilatura_default),
                            ("newsdesk_extract_html", newsdesk_extract)]:
        predictions, seconds = run(extractor, pages, truth)
        results[name] = {**scorer.score(truth, predictions), "seconds": round(seconds, 2)}

    base, ours = results["trafilatura_default"], results["newsdesk_extract_html"]
    results["ratio_ours_over_trafilatura"] = {
        metric: round(ours[metric] / base[metric], 4) if base[metric] else None
        for metric in ("f1", "precision", "recall", "exact")
    }
    print(f"{len(pages)} pages from {folder}")
    print(f"{'extractor':<24}{'F1':>8}{'prec':>8}{'recall':>8}{'exact':>8}{'secs':>8}")
    for name in ("trafilatura_default", "newsdesk_extract_html"):
        r = results[name]
        print(f"{name:<24}{r['f1']:>8.4f}{r['precision']:>8.4f}{r['recall']:>8.4f}"
              f"{r['exact']:>8.4f}{r['seconds']:>8.2f}")
    ratio = results["ratio_ours_over_trafilatura"]
    print(f"{'ratio ours/trafilatura':<24}{ratio['f1']:>8.4f}{ratio['precision']:>8.4f}"
          f"{ratio['recall']:>8.4f}{ratio['exact']:>8.4f}")

    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS_PATH.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
