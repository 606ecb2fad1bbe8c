"""Comment posting under load: 32 concurrent clients for a fixed time, newsdesk and Isso.

newsdesk is posted to through its real comment endpoint (POST /comments/post/<id>/, the
request discussion.js sends: form fields, CSRF cookie + header), with guests published at
once and rate limits off; Isso through POST /new?uri=... with JSON. wrk drives both with a
Lua script that makes every comment's text unique.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import isso_ref
from harness import REPO_ROOT, run_wrk
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


def _summary(label: str, measured: dict, stored: int, seconds: int, **extra) -> dict:
    ok = measured.get("requests", 0) - measured.get("errors", 0)
    row = {
        "server": label,
        "comments_per_s": round(ok / seconds, 1),
        "stored": stored,
        **measured,
        **extra,
    }
    print(
        f"  {label:<28} {row['comments_per_s']:>8.1f} comments/s  errors {measured.get('errors', 0)}  "
        f"p99 {measured.get('p99_ms', 0):.1f} ms  stored {stored}",
        flush=True,
    )
    return row


def bench_newsdesk_posting(
    workdir: Path,
    label: str,
    seconds: int,
    clients: int,
    *,
    database_url: str = "",
    redis_url: str = "",
    paced_rate: float = 0,
) -> dict:
    """Posting at saturation (``clients`` connections posting back to back); with
    ``paced_rate``, a second run on the same server offering about that many posts a
    second, for the latency at that rate."""
    var_dir = workdir / f"var-{label.replace(' ', '-')}"
    env = newsdesk_env(var_dir, database_url=database_url, redis_url=redis_url, **POSTING_ENV)
    article = prepare(env, [0])[0]
    server, base = start_newsdesk(env, workdir)
    probe = paced = None
    try:
        token = csrf_token(base + article["url"])
        url = f"{base}/comments/post/{article['id']}/"
        measured = run_wrk(
            url, seconds=seconds, connections=clients, script=NEWSDESK_LUA, script_args=[token]
        )
        if paced_rate:
            # The same server again, offered about ``paced_rate`` posts a second: each
            # connection waits between an answer and its next post, and a short first run
            # measures how long the answers take, so the wait can leave room for them.
            period_ms = clients * 1000 / paced_rate
            probe = run_wrk(
                url,
                seconds=min(5, seconds),
                connections=clients,
                script=NEWSDESK_LUA,
                script_args=[token, f"{period_ms:.2f}", "probe"],
            )
            answered_ms = clients * 1000 / max(probe["rps"], 1) - period_ms
            pace_ms = max(period_ms - max(answered_ms, 0), 1)
            paced = run_wrk(
                url,
                seconds=seconds,
                connections=clients,
                script=NEWSDESK_LUA,
                script_args=[token, f"{pace_ms:.2f}", "paced"],
            )
    finally:
        server.stop()
    stored = published_count(env, article["id"])
    acknowledged = sum(
        run.get("requests", 0) - run.get("errors", 0) for run in (measured, probe, paced) if run
    )
    row = _summary(label, measured, stored, seconds, acknowledged=acknowledged)
    if paced is not None:
        row["at_rate"] = _summary(
            f"{label} at {paced_rate:.0f}/s", paced, stored, seconds, offered_per_s=paced_rate
        )
    return row


def bench_isso_posting(workdir: Path, seconds: int, clients: int) -> dict:
    isso_dir = workdir / "isso-posting"
    isso_dir.mkdir()
    site = "http://127.0.0.1:8000"
    uri = "/post-thread/"
    server, base = isso_ref.start_isso(isso_dir, site)
    try:
        isso_ref.post_isso_comment(base, uri, 0, None, site)  # the thread exists before the load
        measured = run_wrk(
            f"{base}/new?uri={urllib.parse.quote(uri)}",
            seconds=seconds,
            connections=clients,
            script=ISSO_LUA,
            script_args=[site],
        )
    finally:
        server.stop()
    stored = isso_ref.count_comments(isso_dir, uri) - 1
    return _summary("isso", measured, stored, seconds)


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


def bench_posting(
    workdir: Path,
    seconds: int,
    clients: int,
    *,
    with_isso: bool,
    postgres_admin_url: str,
    redis_url: str,
) -> dict:
    results: dict = {"clients": clients, "seconds": seconds, "rows": [], "notes": []}
    isso_rate = 0.0
    if with_isso:  # first: its rate is the one newsdesk is then paced to
        try:
            isso_row = bench_isso_posting(workdir, seconds, clients)
            results["rows"].append(isso_row)
            isso_rate = isso_row["comments_per_s"]
        except Exception as exc:
            results["notes"].append(f"isso failed: {str(exc)[-400:]}")
    try:
        results["rows"].append(
            bench_newsdesk_posting(
                workdir, "newsdesk sqlite", seconds, clients, paced_rate=isso_rate
            )
        )
    except Exception as exc:  # one broken row must not lose the others
        results["notes"].append(f"newsdesk sqlite failed: {str(exc)[-400:]}")
    scratch = postgres_scratch(postgres_admin_url, "bench_newsdesk") if postgres_admin_url else None
    if scratch is None:
        results["notes"].append(
            "PostgreSQL skipped (--postgres '') or not reachable: its row is missing"
        )
    else:
        url, drop = scratch
        if redis_url:
            import redis

            # A fresh database restarts the content version: no page from an earlier run
            # may still sit in Redis under the same number.
            redis.Redis.from_url(redis_url).flushdb()
        try:
            results["rows"].append(
                bench_newsdesk_posting(
                    workdir,
                    "newsdesk postgresql+redis" if redis_url else "newsdesk postgresql",
                    seconds,
                    clients,
                    database_url=url,
                    redis_url=redis_url,
                    paced_rate=isso_rate,
                )
            )
        except Exception as exc:
            results["notes"].append(f"newsdesk postgresql failed: {str(exc)[-400:]}")
        finally:
            drop()
    by = {r["server"]: r for r in results["rows"]}
    isso = by.get("isso", {}).get("comments_per_s")
    results["ratios"] = {
        name: round(row["comments_per_s"] / isso, 2)
        for name, row in by.items()
        if name != "isso" and isso
    }
    return results


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
