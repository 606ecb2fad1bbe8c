"""The moderation queue page with 10,000 comments waiting: p50/p95 of the page, and the
ratio to a trivial page (the empty bans list: same middleware, session, base template).

    .venv/bin/python bench/moderation_queue.py [--items 10000] [--runs 200]

Runs on a scratch SQLite file (or DATABASE_URL if set) through Django's test client, so it
measures the view and its queries, not a network stack.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta


def setup_django() -> None:
    os.environ.setdefault("NEWSDESK_VAR_DIR", tempfile.mkdtemp(prefix="newsdesk-modbench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    os.environ.setdefault("NEWSDESK_ENRICH_ENABLED", "0")
    os.environ.setdefault("NEWSDESK_MANIFEST_STATIC", "0")  # no collectstatic run needed
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(items: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from newsdesk.articles.tests.factories import ArticleFactory
    from newsdesk.comments.markup import render_comment
    from newsdesk.comments.models import Comment
    from newsdesk.moderation.models import Report

    users = get_user_model()
    moderator = users.objects.create_user("bench-mod", "mod@example.org", "x")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    authors = users.objects.bulk_create(
        users(username=f"bench-author-{n}", email=f"a{n}@example.org") for n in range(500)
    )
    articles = [ArticleFactory() for _ in range(50)]
    now = timezone.now()
    body = "Is there a source for the figure in the third paragraph? https://example.org/x"
    html = render_comment(body)
    comments = []
    for n in range(items):
        guest = n % 3 == 0
        comments.append(
            Comment(
                article=articles[n % len(articles)],
                author=None if guest else authors[n % len(authors)],
                guest_name="Guest" if guest else "",
                guest_email=f"guest{n % 700}@example.org" if guest else "",
                body=f"{body} ({n})",
                body_html=html,
                status=Comment.Status.PENDING,
                moderation_reasons=["guest_comment" if guest else "spam score 0.81"],
                spam_score=0.5,
                ip_address=f"198.51.100.{n % 250}",
            )
        )
    Comment.objects.bulk_create(comments, batch_size=1000)
    Comment.objects.update(created_at=now - timedelta(hours=1))
    ids = list(Comment.objects.values_list("id", flat=True)[:300])
    Report.objects.bulk_create(
        Report(comment_id=cid, reporter=authors[(cid + k) % 500], reason="spam")
        for cid in ids
        for k in range(1 + cid % 3)
    )
    return moderator


def measure(client, url: str, runs: int) -> list[float]:
    client.get(url)  # warm caches and the connection
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    moderator = seed(args.items)
    client = Client()
    client.force_login(moderator)
    trivial = measure(client, "/moderation/bans/", args.runs)
    t50 = pct(trivial, 50)
    print(f"{args.items} comments waiting on {connection.vendor}; {args.runs} requests each")
    print(f"{'page':42} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8} {'p50/trivial':>12}")
    for label, url in [
        ("trivial page (empty bans list)", "/moderation/bans/"),
        ("queue, held, newest first", "/moderation/"),
        ("queue, held, most reported first", "/moderation/?sort=reports"),
        ("queue, held, page 150", "/moderation/?page=150"),
        ("queue, reported, most reported first", "/moderation/?tab=reported&sort=reports"),
    ]:
        times = trivial if label.startswith("trivial") else measure(client, url, args.runs)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        p50, p95 = pct(times, 50), pct(times, 95)
        print(f"{label:42} {p50:8.1f} {p95:8.1f} {len(queries):8d} {p50 / t50:12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
