"""newsdesk's benchmarks in one command (`make bench`): a table on stdout, bench/results/bench.json.

    python bench/run.py                          # at most 14 minutes on 2 cores
    python bench/run.py --quick                  # shorter points, smaller other benchmarks
    python bench/run.py --only pages --only posting   # about 6 minutes

Article pages (0, 50, 500 comments; uncached and cached) against nginx serving the same
bytes and Isso serving the same thread; comment posting (32 clients) on SQLite and
PostgreSQL against Isso; then the other benchmarks' own scripts (extraction, search,
enrichment) where they exist. Every server runs on 127.0.0.1 and every load is bounded
in time. wrk and nginx come from Debian (installed with apt-get when missing, as root).

Pages and posting run in rounds (3; 2 with --quick), the two servers of a ratio back to
back in each, because this machine's speed drifts (2x within a minute): a ratio is the
median of the per-round ratios, printed with their range.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import REPO_ROOT, ROUNDS, ensure_debian_packages  # noqa: E402
from page_bench import bench_pages, ratios  # noqa: E402
from posting_bench import bench_posting, default_postgres_url, redis_available  # noqa: E402

RESULTS = REPO_ROOT / "bench" / "results" / "bench.json"
# Other issues' scripts: (arguments, environment) for a full run and for --quick. Each one
# is bounded by a timeout and by the run's 14-minute budget. comment_posting.py is not run:
# the posting rows above measure the same endpoint beside Isso.
OTHER_BENCHMARKS = {
    "extraction_bench.py": (([], {}), ([], {})),
    "extraction.py": (([], {"BENCH_IMPORT_PAGES": "2000"}), ([], {"BENCH_IMPORT_PAGES": "500"})),
    "search_latency.py": (
        (["--articles", "20000", "--queries", "100"], {}),
        (["--articles", "5000", "--queries", "50"], {}),
    ),
    "enrichment.py": (([], {}), (["--articles", "50"], {})),
    "enrichment_quality.py": (([], {}), ([], {})),
}


def machine() -> dict:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")
            ),
            "",
        )
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "cores": os.cpu_count(),
        "memory": memory,
        "cpu": model,
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "system": platform.platform(),
    }


def run_other_benchmarks(quick: bool, timeout: int, deadline: float) -> list[dict]:
    """Each other benchmark's script with small arguments; the JSON it writes, if any."""
    found = []
    for name, (full, short) in OTHER_BENCHMARKS.items():
        script = REPO_ROOT / "bench" / name
        if not script.exists():
            continue
        args, env = short if quick else full
        argv = [sys.executable, str(script), *args]
        started = time.time()
        budget = min(timeout, int(deadline - started))
        if budget < 30:
            found.append(
                {
                    "script": name,
                    "exit": None,
                    "seconds": 0,
                    "output_tail": "",
                    "results": {},
                    "note": "skipped: the run's 14-minute budget is spent",
                }
            )
            continue
        shown = " ".join([*(f"{k}={v}" for k, v in env.items()), name, *args])
        print(f"\n== {shown}", flush=True)
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=budget,  # noqa: S603
                cwd=REPO_ROOT,
                env={**os.environ, **env},
                check=False,
            )
            output, code = (done.stdout + done.stderr).strip(), done.returncode
        except subprocess.TimeoutExpired:
            output, code = f"stopped after {budget} s", None
        tail = "\n".join(output.splitlines()[-15:])
        print(tail)
        written = {
            path.name: _read_json(path)
            for path in (REPO_ROOT / "bench" / "results").glob("*.json")
            if path.name != RESULTS.name and path.stat().st_mtime >= started
        }
        found.append(
            {
                "script": name,
                "exit": code,
                "seconds": round(time.time() - started, 1),
                "output_tail": tail,
                "results": written,
            }
        )
    return found


def _read_json(path: Path):
    try:
        return json.loads(path.read_text())
    except ValueError:
        return None


def _f(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def _ratio(value, low, high, digits: int) -> str:
    """A median ratio with the range of the per-round ratios: "5.84 (5.10-6.20)"."""
    if value is None:
        return "-"
    return f"{_f(value, digits)} ({_f(low, digits)}-{_f(high, digits)})"


def print_ingestion_and_search(others: list[dict]) -> None:
    """The ingestion (issue 5) and search (issue 7) figures of this run, from their JSON."""
    results = {name: data for other in others for name, data in other.get("results", {}).items()}
    extraction = results.get("extraction.json")
    searches = {name: data for name, data in results.items() if name.startswith("search_latency")}
    if not extraction and not searches:
        return
    print("\nIngestion and search (their issues' benchmarks, same run)")
    if extraction:
        quality, speed = extraction.get("quality", {}), extraction.get("speed_pages_per_second", {})
        ours, theirs = quality.get("newsdesk_extract_cli", {}), quality.get("trafilatura_plain", {})
        print(
            f"extraction, {ours.get('pages', 0)} hand-marked pages: F1 {_f(ours.get('f1'), 3)} "
            f"(trafilatura alone {_f(theirs.get('f1'), 3)}); "
            f"{_f(speed.get('newsdesk_extract_html'))} pages/s on one core "
            f"(trafilatura alone {_f(speed.get('trafilatura_extract'))})"
        )
        imported = extraction.get("import", {})
        if imported:
            print(
                f"import of {imported.get('pages', 0)} page-text files: "
                f"{_f(imported.get('pages_per_second'))} pages/s ({imported.get('summary', '')})"
            )
    for data in searches.values():
        kinds = data.get("results", {})
        print(
            f"search on {data.get('vendor')}, {data.get('published', 0):,} articles: "
            + ", ".join(
                f"{kind} p50 {_f(row.get('p50_ms'))} / p95 {_f(row.get('p95_ms'))} ms"
                for kind, row in kinds.items()
            )
        )


def print_table(report: dict) -> None:
    pages = report.get("pages")
    if pages:
        print(
            f"\nArticle page, anonymous ({pages['connections']} connections, median of "
            f"{pages['rounds']} rounds of {pages['seconds']} s per point)"
        )
        print(
            f"{'server':<22} {'comments':>8} {'req/s':>10} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7}"
        )
        for row in pages["rows"]:
            print(
                f"{row['server']:<22} {row['comments']:>8} {_f(row.get('rps')):>10} "
                f"{_f(row.get('p50_ms'), 2):>9} {_f(row.get('p99_ms'), 2):>9} {row.get('errors', 0):>7}"
            )
        print(f"\n{'comments':>8} {'uncached / isso':>22} {'cached / nginx':>22}")
        for ratio in pages["ratios"]:
            uncached, cached = (
                _ratio(*(ratio[key + suffix] for suffix in ("", "_min", "_max")), digits)
                for key, digits in (("uncached_over_isso", 2), ("cached_over_nginx", 3))
            )
            print(f"{ratio['comments']:>8} {uncached:>22} {cached:>22}")
        print("ratio: median over rounds of the ratio within a round (min-max over rounds)")
        for paced in pages.get("at_goal_rate", []):
            print(
                f"newsdesk uncached, {paced['comments']} comments, offered "
                f"{paced['times_isso']}x Isso ({_f(paced['offered_rps'])} req/s): "
                f"{_f(paced.get('rps'))} req/s, p50 {_f(paced.get('p50_ms'), 2)} ms, "
                f"p99 {_f(paced.get('p99_ms'), 2)} ms, errors {paced.get('errors', 0)}"
            )
    posting = report.get("posting")
    if posting:
        print(
            f"\nComment posting ({posting['clients']} clients, median of {posting['rounds']} "
            f"rounds of {posting['seconds']} s; paced {posting['paced_seconds']} s)"
        )
        print(
            f"{'server':<28} {'comments/s':>11} {'errors':>7} {'p50 ms':>9} {'p99 ms':>9} "
            f"{'stored':>7} {'/ isso':>17}"
        )
        for row in posting["rows"]:
            name = row["server"]
            ratio = _ratio(
                *(posting[key].get(name) for key in ("ratios", "ratios_min", "ratios_max")), 2
            )
            print(
                f"{name:<28} {_f(row['comments_per_s']):>11} {row.get('errors', 0):>7} "
                f"{_f(row.get('p50_ms'), 2):>9} {_f(row.get('p99_ms'), 2):>9} {row['stored']:>7} "
                f"{'' if name == 'isso' else ratio:>17}"
            )
            paced = row.get("at_rate")
            if paced:
                print(
                    f"{'  paced to isso, offered':<23} {paced['offered_per_s']:>4.0f} "
                    f"{_f(paced['comments_per_s']):>11} {paced.get('errors', 0):>7} "
                    f"{_f(paced.get('p50_ms'), 2):>9} {_f(paced.get('p99_ms'), 2):>9}"
                )
        print(
            "stored: published comments in the database after all runs on it; paced: the same "
            "server offered Isso's rate, for p99 at it"
        )
        for row in posting["rows"]:
            acknowledged = row.get("acknowledged")
            # More stored than acknowledged is fine: wrk stops with posts in flight.
            if acknowledged is not None and acknowledged > row["stored"]:
                print(
                    f"note: {row['server']}: {acknowledged} posts acknowledged, only "
                    f"{row['stored']} stored"
                )
        for note in posting["notes"]:
            print(f"note: {note}")
    print_ingestion_and_search(report.get("others", []))
    for other in report.get("others", []):
        print(
            f"\n{other['script']}: exit {other['exit']} in {other['seconds']} s; "
            f"results: {', '.join(other['results']) or 'none written'}"
        )
    for note in report.get("notes", []):
        print(f"note: {note}")
    start_load = report["machine"].get("load_average_at_start")
    if start_load:
        print(
            f"\nmachine: {report['machine']['cores']} cores, {report['machine']['memory']}, "
            f"{report['machine']['cpu']}; load average at start {start_load[0]:.2f}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="shorter points (5 s pages, 10 s posting, over 2 rounds)",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="rounds of the page and posting points (default 3, 2 with --quick)",
    )
    parser.add_argument("--only", choices=["pages", "posting", "others"], action="append")
    parser.add_argument("--no-isso", action="store_true", help="skip the Isso reference")
    parser.add_argument(
        "--postgres",
        default=default_postgres_url(),
        help="an admin URL of the PostgreSQL server for the scratch database ('' skips)",
    )
    parser.add_argument(
        "--redis", default=os.environ.get("NEWSDESK_BENCH_REDIS", "redis://127.0.0.1:6379/8")
    )
    args = parser.parse_args()
    parts = set(args.only or ["pages", "posting", "others"])
    # Seconds per point over all rounds, split between them (see harness.point_seconds).
    page_seconds, post_seconds = (5, 10) if args.quick else (10, 30)
    rounds = args.rounds or (2 if args.quick else ROUNDS)
    if rounds < 1:
        parser.error("--rounds must be at least 1")
    started = time.time()
    report: dict = {
        "machine": machine(),
        "command": " ".join(["python", "bench/run.py", *sys.argv[1:]]),
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "notes": [],
    }

    missing = ensure_debian_packages({"wrk": "wrk", "nginx": "nginx"})
    if "wrk" in missing:
        print("wrk is missing and could not be installed (apt-get, as root): no load generator")
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    workdir.chmod(0o755)  # nginx's workers (user nobody) read the page files in here
    try:
        if "pages" in parts:
            print(f"== article pages ({rounds} rounds)", flush=True)
            report["pages"] = bench_pages(
                workdir, [0, 50, 500], page_seconds, 16, not args.no_isso, rounds
            )
            report["pages"]["ratios"] = ratios(report["pages"])
        if "posting" in parts:
            print(f"\n== comment posting (32 clients, {rounds} rounds)", flush=True)
            redis_url = args.redis if args.redis and redis_available(args.redis) else ""
            report["posting"] = bench_posting(
                workdir,
                post_seconds,
                32,
                with_isso=not args.no_isso,
                postgres_admin_url=args.postgres,
                redis_url=redis_url,
                rounds=rounds,
            )
        if "others" in parts:
            report["others"] = run_other_benchmarks(
                args.quick, timeout=120 if args.quick else 240, deadline=started + 14 * 60
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    report["seconds"] = round(time.time() - started, 1)
    report["load_average_at_end"] = os.getloadavg()
    # A partial run (--only) never replaces the full run's file.
    results = RESULTS.with_name(f"bench-{'-'.join(sorted(parts))}.json") if args.only else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=2) + "\n")
    print_table(report)
    print(f"\n{report['seconds']:.0f} s in all; written to {results.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
