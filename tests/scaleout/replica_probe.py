"""Where reads and writes go with a read replica configured, run in a subprocess.

    python replica_probe.py article   # on the primary alone: one article; prints its id/url
    python replica_probe.py probe ID  # with the replica set: prints what each read saw

The test points DATABASE_URL and DATABASE_REPLICA_URL at two SQLite files, the replica a
copy of the primary taken between the two steps, so what a read sees shows which database
it went to (a replica that never catches up: replication lag made permanent).
"""

import json
import sys

import django

django.setup()

from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from newsdesk.articles.models import Article, Source  # noqa: E402
from newsdesk.articles.services import StoryInput, upsert_story  # noqa: E402
from newsdesk.site.routers import PIN_COOKIE  # noqa: E402


def source_names() -> list[str]:
    return sorted(Source.objects.values_list("name", flat=True))


def probe(article: Article) -> dict:
    seen: dict = {}
    Source.objects.create(name="Written after the copy", slug="written-after-the-copy")
    seen["plain_read"] = source_names()
    with transaction.atomic():
        seen["read_in_atomic"] = source_names()

    reader, other = Client(), Client()
    seen["get"] = reader.get(article.get_absolute_url()).status_code
    seen["pinned_after_get"] = PIN_COOKIE in reader.cookies
    posted = reader.post(
        f"/comments/post/{article.pk}/",
        {
            "body": "Seen by the one who wrote it",
            "guest_name": "Probe",
            "guest_email": "p@example.org",
        },
    )
    seen["post"] = posted.status_code
    seen["pinned_after_post"] = PIN_COOKIE in posted.cookies
    seen["writer_sees_comment"] = (
        "Seen by the one who wrote it" in reader.get(article.get_absolute_url()).content.decode()
    )
    seen["other_reader_sees_comment"] = (
        "Seen by the one who wrote it" in other.get(article.get_absolute_url()).content.decode()
    )
    return seen


def main(argv: list[str]) -> None:
    if argv[0] == "article":
        story = StoryInput(
            headline="Replica probe", body="One paragraph.\n\nAnother.", source_name="Probe Wire"
        )
        article = upsert_story(story).article
        print(json.dumps({"id": article.pk}))
    else:
        print(json.dumps(probe(Article.objects.get(pk=int(argv[1])))))


if __name__ == "__main__":
    main(sys.argv[1:])
