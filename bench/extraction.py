"""Extraction and import benchmark for issue 5.

    .venv/bin/python bench/extraction.py            # everything (about 3-5 minutes)
    BENCH_IMPORT_PAGES=1000 .venv/bin/python bench/extraction.py   # a quicker import run

1. Quality: runs `newsdesk extract --json` on the 91 pages of ../shared/bench/extraction
   and scores its bodies with the data set's own score.py; scores plain trafilatura
   (trafilatura.extract with defaults) in the same run.
2. Speed on one core, in this process, same pages, same loop: extract_html versus
   trafilatura.extract, pages/s and the ratio (goal >= 0.7). The CLI wall time, which
   includes starting Django once, is printed too.
3. Import: generates BENCH_IMPORT_PAGES (default 10,000) distinct page-text files and times
   `newsdesk import DIR` into a fresh SQLite database end to end (process start to exit),
   with the production task backend (django_tasks_db: enrichment is queued for the worker,
   not run inline). Goal >= 50 pages/s.

Writes bench/results/extraction.json. Data: $NEWSDESK_EXTRACTION_DATA, else
../shared/bench/extraction next to the repository.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib.util
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

REPO_ROOT = Path(__file__).resolve().parent.parent
RESULTS_PATH = REPO_ROOT / "bench" / "results" / "extraction.json"
NEWSDESK = [sys.executable, "-m", "newsdesk"]


def data_dir() -> Path:
    configured = os.environ.get("NEWSDESK_EXTRACTION_DATA")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "bench" / "extraction"


def load_scorer(folder: Path):
    spec = importlib.util.spec_from_file_location("extraction_score", folder / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def base_env(var_dir: Path) -> dict:
    env = {
        **os.environ,
        "NEWSDESK_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
    }
    env.pop("DATABASE_URL", None)
    return env


def run_cli_extract(files: list[Path], var_dir: Path) -> tuple[dict[str, dict], float]:
    started = time.perf_counter()
    done = subprocess.run(
        [*NEWSDESK, "extract", "--json", *map(str, files)],
        env=base_env(var_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    records = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return {Path(r["path"]).name.removesuffix(".html.gz"): r for r in records}, seconds


def in_process_speed(pages: dict[str, bytes], truth: dict) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    import django

    django.setup()
    from newsdesk.ingest.extract import ExtractionError, extract_html

    def ours(html: bytes) -> None:
        with contextlib.suppress(ExtractionError):
            extract_html(html)

    timings = {}
    for name, function in [
        ("trafilatura", lambda html: trafilatura.extract(html)),
        ("newsdesk", ours),
    ]:
        function(next(iter(pages.values())))  # warm caches and lazy imports
        started = time.process_time()  # CPU seconds: fair on a shared, loaded machine
        for html in pages.values():
            function(html)
        timings[name] = len(pages) / (time.process_time() - started)
    return timings


def synthetic_pages(folder: Path, count: int, vocabulary: list[str]) -> None:
    rng = random.Random(5)
    for n in range(count):
        paragraphs = [
            " ".join(rng.choices(vocabulary, k=rng.randint(25, 60))).capitalize() + "."
            for _ in range(rng.randint(4, 9))
        ]
        headline = " ".join(rng.choices(vocabulary, k=8)).capitalize() + f" ({n})"
        tags = "\n".join(rng.sample(["Politics", "Economy", "Sport", "Climate", "Health"], 2))
        (folder / f"{n:05}.txt").write_text(
            f"{headline}\n\n{rng.choice(['Reuters', 'AP', 'AFP'])}\n\n"
            + "\n\n".join(paragraphs)
            + f"\n\nTags\n\n{tags}\n\nComments (0)\n\nWhat is your opinion on this topic?\n\nLeave the first comment\n"
        )


def import_throughput(count: int, vocabulary: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="newsdesk-import-bench-") as scratch:
        root = Path(scratch)
        (root / "pages").mkdir()
        synthetic_pages(root / "pages", count, vocabulary)
        env = base_env(root / "var")
        env["NEWSDESK_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        subprocess.run([*NEWSDESK, "migrate", "-v0"], env=env, check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [*NEWSDESK, "import", str(root / "pages"), "--no-progress"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return {
            "pages": count,
            "seconds": round(seconds, 1),
            "pages_per_second": round(count / seconds, 1),
            "cpu_seconds": round(cpu, 1),
            "pages_per_cpu_second": round(count / cpu, 1),
            "summary": done.stdout.splitlines()[0] if done.stdout else done.stderr[-500:],
        }


def main() -> int:
    folder = data_dir()
    truth_path = folder / "ground-truth.json"
    if not truth_path.exists():
        print(
            f"extraction bench data not found at {folder}; set NEWSDESK_EXTRACTION_DATA. Skipping."
        )
        return 0
    scorer = load_scorer(folder)
    truth = json.loads(truth_path.read_text())
    files = [folder / "html" / f"{key}.html.gz" for key in truth]
    pages = {
        key: gzip.decompress(path.read_bytes()) for key, path in zip(truth, files, strict=True)
    }

    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-var-") as var_dir:
        subprocess.run([*NEWSDESK, "migrate", "-v0"], env=base_env(Path(var_dir)), check=True)
        records, cli_seconds = run_cli_extract(files, Path(var_dir))
    ours = {key: {"articleBody": records.get(key, {}).get("body", "")} for key in truth}
    plain = {key: {"articleBody": trafilatura.extract(html) or ""} for key, html in pages.items()}
    quality = {
        "newsdesk_extract_cli": scorer.score(truth, ours),
        "trafilatura_plain": scorer.score(truth, plain),
    }
    speed = in_process_speed(pages, truth)
    vocabulary = sorted(
        {w for t in truth.values() for w in t["articleBody"].split() if w.isalpha()}
    )
    count = int(os.environ.get("BENCH_IMPORT_PAGES", "10000"))
    imported = import_throughput(count, vocabulary)

    results = {
        "quality": quality,
        "speed_pages_per_second": {
            "newsdesk_extract_html": round(speed["newsdesk"], 1),
            "trafilatura_extract": round(speed["trafilatura"], 1),
            "ratio": round(speed["newsdesk"] / speed["trafilatura"], 3),
            "newsdesk_extract_cli_wall": round(len(files) / cli_seconds, 1),
        },
        "import": imported,
        "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
    }
    print(f"{len(pages)} pages from {folder}")
    for name, r in quality.items():
        print(
            f"{name:<24} F1 {r['f1']:.4f}  precision {r['precision']:.4f}  recall {r['recall']:.4f}"
        )
    s = results["speed_pages_per_second"]
    print(
        f"extraction pages/s (one core, in process): newsdesk {s['newsdesk_extract_html']}, "
        f"trafilatura {s['trafilatura_extract']}, ratio {s['ratio']}; "
        f"`newsdesk extract` CLI incl. start-up {s['newsdesk_extract_cli_wall']}"
    )
    print(
        f"import: {imported['pages']} page-text files in {imported['seconds']} s = "
        f"{imported['pages_per_second']} pages/s wall; {imported['pages_per_cpu_second']} pages per "
        f"CPU-second ({imported['summary']})"
    )
    RESULTS_PATH.parent.mkdir(parents=True, exist_ok=True)
    RESULTS_PATH.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS_PATH.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
