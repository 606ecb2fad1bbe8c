"""Search latency at scale: N synthetic articles, then p50/p95 per kind of query.

    .venv/bin/python bench/search_latency.py [--articles 100000] [--queries 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsdesk .venv/bin/python bench/search_latency.py

Articles are generated with a Zipf-like vocabulary: the words of the demo stories shipped
in src/newsdesk/articles/demo/, ranked by their frequency there, followed by a long tail of
made-up words grown from them, drawn with weight 1 / (rank + 2.7). They are bulk-inserted
into a scratch database (Django's test database: an on-disk SQLite file in a temporary
folder, or test_<name> on the PostgreSQL server of DATABASE_URL, dropped at the end), the
index is built with the same services.reindex() as `newsdesk search reindex`, and every query
goes through services.search(), as the search page does (count, page of 20, articles).

Writes bench/results/search_latency-<vendor>.json.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEMO_DIR = REPO_ROOT / "src" / "newsdesk" / "articles" / "demo"
RESULTS_DIR = REPO_ROOT / "bench" / "results"
TAIL_WORDS = 40_000
SOURCES = 25
TAGS = 300


def setup_django() -> None:
    os.environ.setdefault("NEWSDESK_VAR_DIR", tempfile.mkdtemp(prefix="newsdesk-bench-"))
    os.environ["NEWSDESK_TEST_ON_DISK"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    sys.path.insert(0, str(REPO_ROOT / "src"))
    import django

    django.setup()


def vocabulary(rng: random.Random) -> list[str]:
    """Real words by frequency, then a tail of made-up words, most frequent first."""
    counts: dict[str, int] = {}
    for path in sorted(DEMO_DIR.glob("*.txt")):
        for word in re.findall(r"[a-z]+", path.read_text(encoding="utf-8").lower()):
            if len(word) > 1 or word == "a":
                counts[word] = counts.get(word, 0) + 1
    real = sorted(counts, key=lambda w: (-counts[w], w))
    tail: set[str] = set()
    long_words = [w for w in real if len(w) >= 4]
    while len(tail) < TAIL_WORDS:
        a, b = rng.choice(long_words), rng.choice(long_words)
        tail.add(a[: rng.randint(2, len(a) - 1)] + b[rng.randint(1, len(b) - 2) :])
    tail -= set(real)
    return real + sorted(tail)


class Writer:
    def __init__(self, words: list[str], rng: random.Random):
        self.words = words
        self.rng = rng
        self.cum = list(itertools.accumulate(1 / (rank + 2.7) for rank in range(len(words))))

    def words_n(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=n)

    def headline(self) -> str:
        return " ".join(self.words_n(self.rng.randint(6, 12))).capitalize()

    def body(self) -> str:
        paragraphs = []
        for _ in range(self.rng.randint(3, 6)):
            paragraphs.append(" ".join(self.words_n(self.rng.randint(30, 70))).capitalize() + ".")
        return "\n\n".join(paragraphs)


def load(count: int, writer: Writer, rng: random.Random) -> None:
    from django.db import transaction
    from django.utils import timezone

    from newsdesk.articles.models import Article, ArticleTag, Source, Tag

    sources = Source.objects.bulk_create(
        [Source(name=f"Wire {i}", slug=f"wire-{i}") for i in range(SOURCES)]
    )
    tag_names = sorted({w.capitalize() for w in writer.words[100 : 100 + TAGS * 2]})[:TAGS]
    tags = Tag.objects.bulk_create(
        [Tag(name=name, slug=f"tag-{i}-{name.lower()}") for i, name in enumerate(tag_names)]
    )
    tag_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(tags))))
    now = timezone.now()
    batch = 2000
    for start in range(0, count, batch):
        with transaction.atomic():
            articles = [
                Article(
                    headline=writer.headline()[:300],
                    slug=f"bench-{i}",
                    body=writer.body(),
                    source=rng.choice(sources),
                    status=Article.Status.PUBLISHED if rng.random() > 0.02 else "draft",
                    published_at=now - timedelta(minutes=rng.randint(1, 2 * 365 * 24 * 60)),
                )
                for i in range(start, min(count, start + batch))
            ]
            Article.objects.bulk_create(articles)
            links = []
            for article in articles:
                chosen = {
                    t.pk: t for t in rng.choices(tags, cum_weights=tag_weights, k=rng.randint(1, 3))
                }
                links += [ArticleTag(article=article, tag=tag) for tag in chosen.values()]
            ArticleTag.objects.bulk_create(links)
        print(f"\r  inserted {min(count, start + batch):>7}/{count}", end="", flush=True)
    print()


def query_sets(writer: Writer, rng: random.Random, n: int) -> dict[str, list[dict]]:
    from django.utils import timezone

    from newsdesk.articles.models import Article, Source, Tag

    content_words = writer.words[50:]
    content_cum = [c - writer.cum[49] for c in writer.cum[50:]]

    def word() -> str:
        # Content words, as often as they occur (the 50 most frequent are left out).
        return rng.choices(content_words, cum_weights=content_cum, k=1)[0]

    bodies = list(Article.objects.order_by("?").values_list("body", flat=True)[:n])
    tags = list(Tag.objects.values_list("slug", flat=True))
    sources = list(Source.objects.values_list("slug", flat=True))
    today = timezone.localdate()

    def phrase(body: str) -> str:
        tokens = re.findall(r"[a-z]+", body.lower())
        at = rng.randrange(len(tokens) - 2)
        return '"' + " ".join(tokens[at : at + 2]) + '"'

    def filtered(i: int) -> dict:
        kind = i % 3
        if kind == 0:
            return {"text": word(), "tag": rng.choice(tags)}
        if kind == 1:
            return {"text": word(), "source": rng.choice(sources)}
        start = today - timedelta(days=rng.randint(30, 600))
        return {"text": word(), "date_from": start, "date_to": start + timedelta(days=30)}

    return {
        "one-word": [{"text": word()} for _ in range(n)],
        "multi-word": [
            {"text": " ".join(word() for _ in range(rng.randint(2, 3)))} for _ in range(n)
        ],
        "phrase": [{"text": phrase(bodies[i % len(bodies)])} for i in range(n)],
        "filtered": [filtered(i) for i in range(n)],
        "common-word": [{"text": rng.choice(writer.words[:50])} for _ in range(n)],
        "page-5": [{"text": word(), "page": 5} for _ in range(n)],
    }


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="per kind of query")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    setup_django()
    from django.db import connection

    from newsdesk.search import services
    from newsdesk.search.query import SearchQuery

    rng = random.Random(args.seed)
    writer = Writer(vocabulary(rng), rng)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    vendor = connection.vendor
    try:
        print(f"{vendor}: {args.articles} articles, vocabulary {len(writer.words)} words")
        started = time.perf_counter()
        load(args.articles, writer, rng)
        loaded = time.perf_counter()
        indexed_count = services.reindex()
        indexed = time.perf_counter()
        # A site that has run a while has planner statistics (autovacuum on PostgreSQL);
        # a freshly bulk-loaded table has none, and PostgreSQL then picks absurd plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"  load {loaded - started:.1f} s, index {indexed - loaded:.1f} s ({indexed_count} published)"
        )

        results = {}
        print(
            f"  {'query':<12} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
            f" {'cpu p50':>8} {'cpu p95':>8} {'avg hits':>9}"
        )
        for kind, queries in query_sets(writer, rng, args.queries).items():
            for params in queries[:5]:  # warm the caches
                services.search(SearchQuery(**params))
            timings, cpu_timings, totals = [], [], []
            for params in queries:
                t0, c0 = time.perf_counter(), time.thread_time()
                page = services.search(SearchQuery(**params))
                timings.append((time.perf_counter() - t0) * 1000)
                cpu_timings.append((time.thread_time() - c0) * 1000)
                totals.append(page.total)
            results[kind] = {
                "p50_ms": round(percentile(timings, 50), 2),
                "p95_ms": round(percentile(timings, 95), 2),
                "max_ms": round(max(timings), 2),
                # CPU time of this process: SQLite's whole cost (it runs in-process), free
                # of the waits a busy machine adds; for PostgreSQL only the client's share.
                "cpu_p50_ms": round(percentile(cpu_timings, 50), 2),
                "cpu_p95_ms": round(percentile(cpu_timings, 95), 2),
                "mean_hits": round(statistics.mean(totals), 1),
                "queries": len(timings),
            }
            r = results[kind]
            print(
                f"  {kind:<12} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['max_ms']:>8.1f}"
                f" {r['cpu_p50_ms']:>8.1f} {r['cpu_p95_ms']:>8.1f} {r['mean_hits']:>9.0f}"
            )
        RESULTS_DIR.mkdir(exist_ok=True)
        out = RESULTS_DIR / f"search_latency-{vendor}.json"
        out.write_text(
            json.dumps(
                {
                    "vendor": vendor,
                    "articles": args.articles,
                    "published": indexed_count,
                    "cpus": os.cpu_count(),
                    "load_average_at_end": os.getloadavg()[0],
                    "load_seconds": round(loaded - started, 1),
                    "index_seconds": round(indexed - loaded, 1),
                    "results": results,
                },
                indent=2,
            )
            + "\n"
        )
        print(f"  wrote {out.relative_to(REPO_ROOT)}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
