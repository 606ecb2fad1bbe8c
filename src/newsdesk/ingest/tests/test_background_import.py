"""`newsdesk import --background` queues the batch as one task for `newsdesk worker`.
(The test settings run tasks inline with django-tasks' ImmediateBackend.)"""

import io

import pytest
from django.core.management import CommandError, call_command

from newsdesk.articles.models import Article
from newsdesk.ingest.models import ImportedFile
from newsdesk.ingest.tasks import import_batch_task
from newsdesk.ingest.tests.helpers import story_text

pytestmark = pytest.mark.django_db


def write_story(folder, n: int) -> None:
    body = "\n\n".join(story_text(300 + n, paragraphs=3, words=25))
    (folder / f"{n}.txt").write_text(f"Background story {n}\n\nReuters\n\n{body}\n")


def test_background_import_queues_the_batch_with_absolute_paths(tmp_path, monkeypatch):
    for n in range(3):
        write_story(tmp_path, n)
    monkeypatch.chdir(tmp_path.parent)
    out = io.StringIO()
    call_command("import", "--background", tmp_path.name, stdout=out)
    assert out.getvalue().startswith("queued import task ")
    assert Article.objects.count() == 3
    assert set(ImportedFile.objects.values_list("path", flat=True)) == {
        str(tmp_path / f"{n}.txt") for n in range(3)
    }


def test_batch_task_run_again_imports_nothing_twice(tmp_path):
    for n in range(4):
        write_story(tmp_path, n)
    first = import_batch_task.call([str(tmp_path)])
    again = import_batch_task.call([str(tmp_path)])
    assert first["imported"] == 4
    assert again == {"unchanged": 4, "failed_files": []}
    assert Article.objects.count() == 4


def test_stdin_cannot_be_imported_in_the_background():
    with pytest.raises(CommandError, match="stdin"):
        call_command("import", "--background", "-", stdout=io.StringIO())
