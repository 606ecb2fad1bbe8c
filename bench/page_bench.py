"""Article page for an anonymous reader: newsdesk uncached and cached, nginx, Isso.

All four servers run at once (an idle server costs no CPU) and are measured in rounds:
in each round, each server gets one wrk run of a fixed duration per comment count, the
two servers of a ratio back to back, so the machine's drifting speed cannot tilt a ratio.
A row is the median over the rounds; a ratio is the median of the per-round ratios.
Then the uncached newsdesk is offered the goal rate (GOALS: 5x Isso's median with 50
comments, 10x with 500) for its latency at that rate, not only at saturation.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import isso_ref
from harness import (
    REPO_ROOT,
    ROUNDS,
    Server,
    find_command,
    free_port,
    point_seconds,
    ratio_over_rounds,
    run_paced,
    run_wrk,
    summarize_runs,
    wait_for_http,
)
from newsdesk_app import fetch, newsdesk_env, prepare, start_newsdesk

UNCACHED, CACHED = "newsdesk uncached", "newsdesk cached"
NGINX, ISSO = "nginx (same bytes)", "isso (thread JSON)"
# Within a round, each ratio's two servers run next to each other (uncached / Isso,
# cached / nginx); the table keeps its usual order.
ROUND_ORDER = (UNCACHED, ISSO, CACHED, NGINX)
TABLE_ORDER = (UNCACHED, CACHED, NGINX, ISSO)
# (ratio, numerator, denominator, decimals)
RATIOS = (("uncached_over_isso", UNCACHED, ISSO, 2), ("cached_over_nginx", CACHED, NGINX, 3))
# The goals for the uncached page: comment count -> times Isso's rate.
GOALS = {50: 5, 500: 10}
PACED_GET_LUA = REPO_ROOT / "bench" / "paced_get.lua"

NGINX_CONF = """\
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    default_type text/html;
    sendfile on;
    keepalive_requests 100000;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {dir}/html;
    }}
}}
"""


def bench_pages(
    workdir: Path,
    counts: list[int],
    seconds: int,
    connections: int,
    with_isso: bool,
    rounds: int = ROUNDS,
) -> dict:
    """``seconds`` per point in all, split over ``rounds`` runs (at least 3 s each); each
    run at a goal rate lasts ``seconds``."""
    point = point_seconds(seconds, rounds, minimum=3)
    results: dict = {
        "counts": counts,
        "connections": connections,
        "seconds": point,
        "rounds": rounds,
    }
    with contextlib.ExitStack() as servers:  # every server stops, also on errors
        # Isso first: installing and seeding it takes a while, and the cached newsdesk's
        # pages, warmed next, should still be in its cache when the rounds run.
        points = _start_isso(workdir, counts, servers) if with_isso else {}
        newsdesk_points, pages = _start_newsdesk(workdir, counts, servers)
        points.update(newsdesk_points)
        if find_command("nginx"):
            points.update(_start_nginx(workdir, pages, servers))
        else:
            results["nginx_note"] = "nginx not installed: no ceiling reference"
        _run_rounds(points, counts, rounds, point, connections)
        results["at_goal_rate"] = _run_at_goal_rates(points, seconds, connections)
    results["rows"] = [
        _row(label, count, points[label, count])
        for label in TABLE_ORDER
        for count in counts
        if (label, count) in points
    ]
    return results


def _point(url: str, **extra) -> dict:
    """One (server, comment count) to measure: its URL, row fields, and its runs to come."""
    return {"url": url, "extra": extra, "runs": []}


def _start_newsdesk(
    workdir: Path, counts: list[int], servers: contextlib.ExitStack
) -> tuple[dict, dict[int, bytes]]:
    """Both newsdesk servers on one seeded database; their points and the pages' bytes."""
    env = newsdesk_env(workdir / "var-pages")
    articles = prepare(env, counts)
    points: dict = {}
    pages: dict[int, bytes] = {}
    for label, cache_seconds in ((UNCACHED, "0"), (CACHED, "300")):
        # One at a time: each start runs collectstatic into the shared var dir.
        server, base = start_newsdesk(
            {**env, "NEWSDESK_PAGE_CACHE_SECONDS": cache_seconds}, workdir
        )
        servers.callback(server.stop)
        for count in counts:
            url = base + articles[count]["url"]
            # Warm each worker's cache (local memory per worker): stop at the first hit.
            for _ in range(6):
                status, headers, body = fetch(url)
                if headers.get("X-Page-Cache") != "miss":
                    break
            pages.setdefault(count, body)
            points[label, count] = _point(
                url, bytes=len(body), x_page_cache=headers.get("X-Page-Cache", "")
            )
    return points, pages


def _start_nginx(workdir: Path, pages: dict[int, bytes], servers: contextlib.ExitStack) -> dict:
    """nginx serving the very bytes newsdesk served, as files: the ceiling."""
    html = workdir / "nginx" / "html"
    html.mkdir(parents=True)
    (workdir / "nginx" / "tmp").mkdir()
    for count, body in pages.items():
        (html / f"article-{count}.html").write_bytes(body)
    port = free_port()
    conf = workdir / "nginx" / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=workdir / "nginx", port=port))
    nginx = Server(
        "nginx", [find_command("nginx"), "-c", str(conf), "-g", "daemon off;"], log_dir=str(workdir)
    )
    servers.enter_context(nginx)
    base = f"http://127.0.0.1:{port}"
    wait_for_http(f"{base}/article-0.html", process=nginx.process)
    return {(NGINX, count): _point(f"{base}/article-{count}.html") for count in pages}


def _start_isso(workdir: Path, counts: list[int], servers: contextlib.ExitStack) -> dict:
    """Isso with the same discussions, seeded through its API."""
    isso_dir = workdir / "isso-pages"
    isso_dir.mkdir()
    site = "http://127.0.0.1:8000"
    server, base = isso_ref.start_isso(isso_dir, site)
    servers.callback(server.stop)
    points = {}
    for count in counts:
        if count == 0:
            continue  # Isso has no thread until its first comment (404)
        uri = f"/thread-{count}/"
        isso_ref.seed_thread(base, uri, count, site)
        url = f"{base}/?uri={uri}"
        status, _, body = fetch(url)
        points[ISSO, count] = _point(url, bytes=len(body))
    return points


def _run_rounds(
    points: dict, counts: list[int], rounds: int, seconds: int, connections: int
) -> None:
    for index in range(1, rounds + 1):
        for count in counts:
            for label in ROUND_ORDER:
                point = points.get((label, count))
                if point is None:
                    continue
                measured = run_wrk(point["url"], seconds=seconds, connections=connections)
                point["runs"].append(measured)
                print(
                    f"  round {index}/{rounds}  {label:<22} {count:>4} comments  "
                    f"{measured.get('rps', 0):>9.1f} req/s  "
                    f"p50 {measured.get('p50_ms', 0):>8.2f} ms  "
                    f"p99 {measured.get('p99_ms', 0):>8.2f} ms  errors {measured.get('errors', 0)}",
                    flush=True,
                )


def _run_at_goal_rates(points: dict, seconds: int, connections: int) -> list[dict]:
    """The uncached newsdesk page offered GOALS[count] times Isso's median rate: p99 there."""
    out = []
    for count, factor in GOALS.items():
        isso, newsdesk = points.get((ISSO, count)), points.get((UNCACHED, count))
        if not isso or not newsdesk or not isso["runs"]:
            continue
        rate = factor * summarize_runs(isso["runs"])["rps"]
        url = newsdesk["url"]
        _probe, paced = run_paced(
            lambda run_seconds, pace_ms, url=url: run_wrk(
                url,
                seconds=run_seconds,
                connections=connections,
                script=PACED_GET_LUA,
                script_args=[pace_ms],
            ),
            rate,
            seconds,
            connections,
        )
        out.append(
            {"comments": count, "times_isso": factor, "offered_rps": round(rate, 1), **paced}
        )
        print(
            f"  {UNCACHED} {count:>4} comments offered {rate:.0f} req/s ({factor}x Isso): "
            f"{paced.get('rps', 0):.1f} req/s  p99 {paced.get('p99_ms', 0):.2f} ms  "
            f"errors {paced.get('errors', 0)}",
            flush=True,
        )
    return out


def _row(label: str, count: int, point: dict) -> dict:
    return {
        "server": label,
        "comments": count,
        **summarize_runs(point["runs"]),
        "rounds": [run.get("rps", 0.0) for run in point["runs"]],
        **point["extra"],
    }


def ratios(results: dict) -> list[dict]:
    """Per comment count, newsdesk uncached / Isso and cached / nginx: the median of the
    per-round ratios (each from two runs back to back), and their min and max."""
    rounds = {(row["server"], row["comments"]): row["rounds"] for row in results["rows"]}
    out = []
    for count in results["counts"]:
        entry: dict = {"comments": count}
        for key, numerator, denominator, digits in RATIOS:
            over = None
            if (numerator, count) in rounds and (denominator, count) in rounds:
                over = ratio_over_rounds(rounds[numerator, count], rounds[denominator, count])
            for suffix, stat in (("", "median"), ("_min", "min"), ("_max", "max")):
                entry[key + suffix] = round(over[stat], digits) if over else None
        out.append(entry)
    return out
