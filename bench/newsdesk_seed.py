"""Seed a scratch newsdesk database for the benchmark, through the ORM.

    DJANGO_SETTINGS_MODULE=newsdesk.site.settings NEWSDESK_VAR_DIR=... \\
        python bench/newsdesk_seed.py articles 0,50,500     # prints {"0": {"id":.., "url":..}, ...}
    python bench/newsdesk_seed.py count ARTICLE_ID          # prints the published comment count

The article is the demo story ``putin-bilateral-talks.txt``, once per comment count; the
comments come from bench/comment_texts.py, as published guest comments, so Isso is seeded
with the same discussion.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))
django.setup()

from comment_texts import comment_body, guest_email, guest_name, parent_index  # noqa: E402
from django.db import transaction  # noqa: E402

from newsdesk.articles.services import upsert_story  # noqa: E402
from newsdesk.comments.markup import render_comment  # noqa: E402
from newsdesk.comments.models import Comment  # noqa: E402
from newsdesk.comments.services import refresh_comment_count  # noqa: E402
from newsdesk.ingest.importer import story_from_bytes  # noqa: E402
from newsdesk.site.pagecache import bump_content_version  # noqa: E402

DEMO = (
    Path(__file__).resolve().parent.parent / "src/newsdesk/articles/demo/putin-bilateral-talks.txt"
)


def seed_article(count: int) -> dict:
    story = story_from_bytes(str(DEMO), DEMO.read_bytes())
    story.headline = f"{story.headline} ({count} comments)"
    story.canonical_url = ""
    article = upsert_story(story).article
    with transaction.atomic():
        Comment.objects.filter(article=article).delete()
        created: list[Comment] = []
        for index in range(count):
            parent = parent_index(index)
            comment = Comment(
                article=article,
                parent=created[parent] if parent is not None else None,
                guest_name=guest_name(index),
                guest_email=guest_email(index),
                body=comment_body(index),
                body_html=render_comment(comment_body(index)),
                status=Comment.Status.PUBLISHED,
                ip_address="127.0.0.1",
            )
            comment.save()  # one by one: replies need their parent's id on every database
            created.append(comment)
        refresh_comment_count(article.pk)
        bump_content_version()
    return {"id": article.pk, "url": article.get_absolute_url()}


def main(argv: list[str]) -> None:
    if argv[:1] == ["articles"]:
        counts = [int(n) for n in argv[1].split(",")]
        print(json.dumps({str(n): seed_article(n) for n in counts}))
    elif argv[:1] == ["count"]:
        print(Comment.objects.filter(article_id=int(argv[1]), status="published").count())
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
