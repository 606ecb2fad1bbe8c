"""Article page for an anonymous reader: newsdesk uncached and cached, nginx, Isso.

Each point is one wrk run of a fixed duration against a server on 127.0.0.1.
"""

from __future__ import annotations

from pathlib import Path

import isso_ref
from harness import Server, find_command, free_port, run_wrk, wait_for_http
from newsdesk_app import fetch, newsdesk_env, prepare, start_newsdesk

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
    workdir: Path, counts: list[int], seconds: int, connections: int, with_isso: bool
) -> dict:
    var_dir = workdir / "var-pages"
    env = newsdesk_env(var_dir)
    articles = prepare(env, counts)
    results: dict = {"counts": counts, "connections": connections, "seconds": seconds, "rows": []}
    pages: dict[int, bytes] = {}

    def record(server: str, count: int, measured: dict, **extra) -> None:
        row = {"server": server, "comments": count, **measured, **extra}
        results["rows"].append(row)
        print(
            f"  {server:<22} {count:>4} comments  {measured.get('rps', 0):>9.1f} req/s  "
            f"p50 {measured.get('p50_ms', 0):>8.2f} ms  p99 {measured.get('p99_ms', 0):>8.2f} ms  "
            f"errors {measured.get('errors', 0)}",
            flush=True,
        )

    for label, cache_seconds in (("newsdesk uncached", "0"), ("newsdesk cached", "300")):
        server, base = start_newsdesk(
            {**env, "NEWSDESK_PAGE_CACHE_SECONDS": cache_seconds}, workdir
        )
        try:
            for count in counts:
                url = base + articles[count]["url"]
                # Warm each worker's cache (local memory per worker): stop at the first hit.
                for _ in range(6):
                    status, headers, body = fetch(url)
                    if headers.get("X-Page-Cache") != "miss":
                        break
                pages.setdefault(count, body)
                record(
                    label,
                    count,
                    run_wrk(url, seconds=seconds, connections=connections),
                    bytes=len(body),
                    x_page_cache=headers.get("X-Page-Cache", ""),
                )
        finally:
            server.stop()

    if find_command("nginx"):
        html = workdir / "nginx" / "html"
        html.mkdir(parents=True)
        (workdir / "nginx" / "tmp").mkdir()
        for count, body in pages.items():
            (html / f"article-{count}.html").write_bytes(body)
        port = free_port()
        conf = workdir / "nginx" / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=workdir / "nginx", port=port))
        nginx = Server(
            "nginx",
            [find_command("nginx"), "-c", str(conf), "-g", "daemon off;"],
            log_dir=str(workdir),
        )
        with nginx:
            wait_for_http(f"http://127.0.0.1:{port}/article-0.html", process=nginx.process)
            for count in counts:
                url = f"http://127.0.0.1:{port}/article-{count}.html"
                record(
                    "nginx (same bytes)",
                    count,
                    run_wrk(url, seconds=seconds, connections=connections),
                )
    else:
        results["nginx_note"] = "nginx not installed: no ceiling reference"

    if with_isso:
        isso_dir = workdir / "isso-pages"
        isso_dir.mkdir()
        site = "http://127.0.0.1:8000"
        server, base = isso_ref.start_isso(isso_dir, site)
        try:
            for count in counts:
                if count == 0:
                    continue  # Isso has no thread until its first comment (404)
                uri = f"/thread-{count}/"
                isso_ref.seed_thread(base, uri, count, site)
                url = f"{base}/?uri={uri}"
                status, _, body = fetch(url)
                record(
                    "isso (thread JSON)",
                    count,
                    run_wrk(url, seconds=seconds, connections=connections),
                    bytes=len(body),
                )
        finally:
            server.stop()
    return results


def ratios(results: dict) -> list[dict]:
    """newsdesk uncached / Isso and cached / nginx, per comment count."""
    by = {(r["server"], r["comments"]): r.get("rps", 0.0) for r in results["rows"]}
    out = []
    for count in results["counts"]:
        uncached, cached = by.get(("newsdesk uncached", count)), by.get(("newsdesk cached", count))
        isso, nginx = by.get(("isso (thread JSON)", count)), by.get(("nginx (same bytes)", count))
        out.append(
            {
                "comments": count,
                "uncached_over_isso": round(uncached / isso, 2) if uncached and isso else None,
                "cached_over_nginx": round(cached / nginx, 3) if cached and nginx else None,
            }
        )
    return out
