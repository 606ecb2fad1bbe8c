"""Comment posting under load: 32 concurrent clients for a fixed time, newsdesk and Isso.

newsdesk is posted to through its real comment endpoint (POST /comments/post/<id>/, the
request discussion.js sends: form fields, CSRF cookie + header), with guests published at
once and rate limits off; Isso through POST /new?uri=... with JSON. wrk drives both with a
Lua script that makes every comment's text unique, across runs too (its RUN argument).

Isso, newsdesk on SQLite and newsdesk on PostgreSQL (+ Redis) run at once and are measured
at saturation in rounds, one run each back to back, so the machine's drifting speed
cannot tilt a ratio: a ratio is the median of the per-round ratios. Then each newsdesk
server is offered Isso's median rate, for its latency at that rate.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import isso_ref
from harness import (
    REPO_ROOT,
    ROUNDS,
    point_seconds,
    ratio_over_rounds,
    run_paced,
    run_wrk,
    summarize_runs,
)
from newsdesk_app import (
    POSTING_ENV,
    csrf_token,
    newsdesk_env,
    prepare,
    published_count,
    start_newsdesk,
)

NEWSDESK_LUA = REPO_ROOT / "bench" / "post_newsdesk.lua"
ISSO_LUA = REPO_ROOT / "bench" / "post_isso.lua"
ISSO = "isso"
SITE = "http://127.0.0.1:8000"


@dataclass
class Target:
    """A running server to post to, and the wrk runs made against it."""

    label: str
    url: str
    script: Path
    script_args: Callable[[str, str], list[str]]  # (run, pace_ms) -> the Lua script's args
    stored: Callable[[], int]  # published comments in its database (count with it stopped)
    stop: Callable[[], None]
    runs: list[dict] = field(default_factory=list)  # the saturated runs, one per round
    paced_runs: list[dict] = field(default_factory=list)  # the probe and the paced run
    offered_per_s: float = 0.0

    def post(self, seconds: int, clients: int, run: str, pace_ms: str = "0") -> dict:
        return run_wrk(
            self.url,
            seconds=seconds,
            connections=clients,
            script=self.script,
            script_args=self.script_args(run, pace_ms),
        )


def bench_posting(
    workdir: Path,
    seconds: int,
    clients: int,
    *,
    with_isso: bool,
    postgres_admin_url: str,
    redis_url: str,
    rounds: int = ROUNDS,
) -> dict:
    """``seconds`` of saturation per server in all, split over ``rounds`` runs (at least 5 s
    each); the paced runs last ``seconds`` each."""
    point = point_seconds(seconds, rounds, minimum=5)
    results: dict = {
        "clients": clients,
        "seconds": point,
        "rounds": rounds,
        "paced_seconds": seconds,
        "rows": [],
        "notes": [],
    }
    notes = results["notes"]
    with contextlib.ExitStack() as stack:  # every server stops and the scratch database goes
        targets = _start_targets(workdir, stack, notes, with_isso, postgres_admin_url, redis_url)
        _run_rounds(targets, rounds, point, clients, notes)
        isso = next((target for target in targets if target.label == ISSO), None)
        if isso is not None:
            rate = statistics.median(_per_second(run, point) for run in isso.runs)
            for target in targets:
                if target is not isso:
                    _run_paced(target, rate, seconds, clients, notes)
        for target in targets:
            target.stop()  # every post in flight lands before the count
        results["rows"] = [_row(target, point, seconds) for target in targets]
    results.update(_ratios(results["rows"]))
    return results


def _start_targets(
    workdir: Path,
    stack: contextlib.ExitStack,
    notes: list[str],
    with_isso: bool,
    postgres_admin_url: str,
    redis_url: str,
) -> list[Target]:
    targets: list[Target] = []

    def attempt(label: str, start: Callable[[], Target]) -> None:
        try:
            targets.append(start())
        except Exception as exc:  # one broken server must not lose the others
            notes.append(f"{label} failed: {str(exc)[-400:]}")

    if with_isso:
        attempt(ISSO, lambda: _isso_target(workdir, stack))
    attempt("newsdesk sqlite", lambda: _newsdesk_target(workdir, stack, "newsdesk sqlite"))
    database_url = _postgres_database(postgres_admin_url, redis_url, stack)
    if database_url is None:
        notes.append("PostgreSQL skipped (--postgres '') or not reachable: its row is missing")
    else:
        label = "newsdesk postgresql+redis" if redis_url else "newsdesk postgresql"
        attempt(
            label,
            lambda: _newsdesk_target(
                workdir, stack, label, database_url=database_url, redis_url=redis_url
            ),
        )
    return targets


def _isso_target(workdir: Path, stack: contextlib.ExitStack) -> Target:
    isso_dir = workdir / "isso-posting"
    isso_dir.mkdir()
    uri = "/post-thread/"
    server, base = isso_ref.start_isso(isso_dir, SITE)
    stack.callback(server.stop)
    isso_ref.post_isso_comment(base, uri, 0, None, SITE)  # the thread exists before the load
    return Target(
        ISSO,
        f"{base}/new?uri={urllib.parse.quote(uri)}",
        ISSO_LUA,
        lambda run, pace_ms: [SITE, run],  # Isso is only measured at saturation
        lambda: isso_ref.count_comments(isso_dir, uri) - 1,
        server.stop,
    )


def _newsdesk_target(
    workdir: Path,
    stack: contextlib.ExitStack,
    label: str,
    *,
    database_url: str = "",
    redis_url: str = "",
) -> Target:
    var_dir = workdir / f"var-{label.replace(' ', '-')}"
    env = newsdesk_env(var_dir, database_url=database_url, redis_url=redis_url, **POSTING_ENV)
    article = prepare(env, [0])[0]
    server, base = start_newsdesk(env, workdir)
    stack.callback(server.stop)
    token = csrf_token(base + article["url"])
    return Target(
        label,
        f"{base}/comments/post/{article['id']}/",
        NEWSDESK_LUA,
        lambda run, pace_ms: [token, pace_ms, run],
        lambda: published_count(env, article["id"]),
        server.stop,
    )


def postgres_scratch(admin_url: str, name: str):
    """Create database ``name`` on the server of ``admin_url``; return (url, drop) or None."""
    try:
        import psycopg
    except ImportError:
        return None
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as exc:
        print(f"  PostgreSQL not usable at {admin_url}: {exc}".strip())
        return None

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    parts = urllib.parse.urlsplit(admin_url)
    return parts._replace(path=f"/{name}").geturl(), drop


def _postgres_database(admin_url: str, redis_url: str, stack: contextlib.ExitStack) -> str | None:
    """A scratch database's URL, dropped when ``stack`` closes; None without PostgreSQL."""
    scratch = postgres_scratch(admin_url, "bench_newsdesk") if admin_url else None
    if scratch is None:
        return None
    url, drop = scratch
    stack.callback(drop)  # registered before its server's stop, so it runs after it
    if redis_url:
        import redis

        # A fresh database restarts the content version: no page from an earlier run
        # may still sit in Redis under the same number.
        redis.Redis.from_url(redis_url).flushdb()
    return url


def _run_rounds(
    targets: list[Target], rounds: int, seconds: int, clients: int, notes: list[str]
) -> None:
    """Each round posts to every server in turn; a server whose run fails is left out."""
    for index in range(1, rounds + 1):
        for target in list(targets):
            try:
                measured = target.post(seconds, clients, run=f"r{index}-")
            except Exception as exc:
                notes.append(f"{target.label} failed in round {index}: {str(exc)[-400:]}")
                targets.remove(target)
                continue
            target.runs.append(measured)
            _print(f"round {index}/{rounds}  {target.label}", measured, seconds)


def _run_paced(target: Target, rate: float, seconds: int, clients: int, notes: list[str]) -> None:
    """The same server, offered about ``rate`` posts a second (harness.run_paced)."""
    names = iter(("probe", "paced"))  # each run posts its own texts
    try:
        target.paced_runs.extend(
            run_paced(
                lambda run_seconds, pace_ms: target.post(
                    run_seconds, clients, next(names), pace_ms
                ),
                rate,
                seconds,
                clients,
            )
        )
    except Exception as exc:
        notes.append(f"{target.label} paced to {rate:.0f}/s failed: {str(exc)[-400:]}")
        return
    target.offered_per_s = rate
    _print(f"{target.label} at {rate:.0f}/s", target.paced_runs[-1], seconds)


def _per_second(run: dict, seconds: int) -> float:
    """Acknowledged posts per second of a run."""
    return round(_acknowledged(run) / seconds, 1)


def _acknowledged(run: dict) -> int:
    return run.get("requests", 0) - run.get("errors", 0)


def _print(label: str, measured: dict, seconds: int) -> None:
    print(
        f"  {label:<42} {_per_second(measured, seconds):>8.1f} comments/s  "
        f"errors {measured.get('errors', 0)}  p99 {measured.get('p99_ms', 0):.1f} ms",
        flush=True,
    )


def _row(target: Target, seconds: int, paced_seconds: int) -> dict:
    """Medians over the rounds, per-round lists, and what the database holds afterwards."""
    rates = [_per_second(run, seconds) for run in target.runs]
    stored = target.stored()
    row = {
        "server": target.label,
        "comments_per_s": round(statistics.median(rates), 1),
        "stored": stored,
        **summarize_runs(target.runs),
        "acknowledged": sum(_acknowledged(run) for run in target.runs + target.paced_runs),
        "rounds": rates,
        "p99_rounds": [run.get("p99_ms") for run in target.runs],
    }
    if target.offered_per_s:
        paced = target.paced_runs[-1]
        row["at_rate"] = {
            "server": f"{target.label} at {target.offered_per_s:.0f}/s",
            "comments_per_s": _per_second(paced, paced_seconds),
            "stored": stored,
            **paced,
            "offered_per_s": target.offered_per_s,
        }
    return row


def _ratios(rows: list[dict]) -> dict:
    """Per newsdesk server: the median, min and max over rounds of its rate / Isso's in the
    same round."""
    out: dict = {"ratios": {}, "ratios_min": {}, "ratios_max": {}}
    isso = next((row for row in rows if row["server"] == ISSO), None)
    for row in rows:
        if isso is None or row is isso:
            continue
        over = ratio_over_rounds(row["rounds"], isso["rounds"])
        if over is None:
            continue
        for key, stat in (("ratios", "median"), ("ratios_min", "min"), ("ratios_max", "max")):
            out[key][row["server"]] = round(over[stat], 2)
    return out


def redis_available(url: str) -> bool:
    try:
        import redis
    except ImportError:
        return False
    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def default_postgres_url() -> str:
    return os.environ.get("NEWSDESK_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
