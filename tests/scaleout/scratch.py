"""ORM steps the scale-out test runs against its scratch database, in a subprocess.

python tests/scaleout/scratch.py article          # prints {"id": .., "url": ..}
python tests/scaleout/scratch.py enqueue N        # N record_run tasks; prints their ids
python tests/scaleout/scratch.py task-statuses    # prints {"SUCCESSFUL": N, ...}
"""

import json
import sys
from collections import Counter

import django

django.setup()

from django_tasks_db.models import DBTaskResult  # noqa: E402

from newsdesk.articles.services import StoryInput, upsert_story  # noqa: E402


def main(argv):
    if argv[0] == "article":
        story = StoryInput(
            headline="Two servers, one story",
            body="Readers on either server see the same discussion.\n\nSecond paragraph.",
            source_name="Scale-out Wire",
            tags=["Infrastructure"],
        )
        article = upsert_story(story).article
        print(json.dumps({"id": article.pk, "url": article.get_absolute_url()}))
    elif argv[0] == "enqueue":
        from probe_tasks import record_run

        print(json.dumps([record_run.enqueue(f"task-{i}").id for i in range(int(argv[1]))]))
    elif argv[0] == "task-statuses":
        print(json.dumps(Counter(DBTaskResult.objects.values_list("status", flat=True))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
