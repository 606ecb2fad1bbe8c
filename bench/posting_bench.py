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
) -> dict:
    var_dir = workdir / f"var-{label.replace(' ', '-')}"
    env = newsdesk_env(var_dir, database_url=database_url, redis_url=redis_url, **POSTING_ENV)
    article = prepare(env, [0])[0]
    server, base = start_newsdesk(env, workdir)
    try:
        token = csrf_token(base + article["url"])
        measured = run_wrk(
            f"{base}/comments/post/{article['id']}/",
            seconds=seconds,
            connections=clients,
            script=NEWSDESK_LUA,
            script_args=[token],
        )
    finally:
        server.stop()
    stored = published_count(env, article["id"])
    return _summary(label, measured, stored, seconds)


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
    try:
        results["rows"].append(bench_newsdesk_posting(workdir, "newsdesk sqlite", seconds, clients))
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
                )
            )
        except Exception as exc:
            results["notes"].append(f"newsdesk postgresql failed: {str(exc)[-400:]}")
        finally:
            drop()
    if with_isso:
        try:
            results["rows"].append(bench_isso_posting(workdir, seconds, clients))
        except Exception as exc:
            results["notes"].append(f"isso failed: {str(exc)[-400:]}")
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
