import io
import shutil
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from newsdesk.articles.models import Article, ArticleTag
from newsdesk.ingest.importer import import_paths, summarise

pytestmark = pytest.mark.django_db

FURNITURE = [
    "Tags",
    "Comments (0)",
    "What is your opinion on this topic?",
    "Leave the first comment",
]


def run_import(*paths):
    out = io.StringIO()
    try:
        call_command("import", *paths, "--no-progress", stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def test_sample_imports_to_exactly_one_article(sample_path):
    output, status = run_import(str(sample_path))
    assert status == 0
    assert "1 imported" in output
    article = Article.objects.get()
    assert article.headline == "Putin hints at bilateral talks with Kyiv, truce falters"
    assert article.source.name == "Reuters"
    assert len(article.paragraphs) == 10
    assert article.paragraphs[0].startswith("Russian President Vladimir Putin")
    assert article.paragraphs[-1].startswith("Though both sides")
    for phrase in FURNITURE:
        assert phrase not in article.body


def test_reimporting_the_same_file_changes_nothing(sample_path):
    run_import(str(sample_path))
    before = Article.objects.values().get()
    output, status = run_import(str(sample_path))
    assert status == 0
    assert "0 imported, 0 updated, 1 unchanged" in output
    assert Article.objects.values().get() == before


def test_importing_an_edited_version_updates_the_article(sample_text, tmp_path):
    original = tmp_path / "story.txt"
    original.write_text(sample_text)
    run_import(str(original))
    edited = sample_text.replace("Though both sides", "Although both sides")
    edited = edited.replace("Tags\n", "Tags\n\nUkraine\n")
    original.write_text(edited)
    output, _ = run_import(str(original))
    assert "1 updated" in output
    article = Article.objects.get()
    assert article.paragraphs[-1].startswith("Although both sides")
    assert [t.name for t in article.visible_tags] == ["Ukraine"]


def test_bad_files_are_reported_and_the_rest_of_the_batch_is_imported(sample_text, tmp_path):
    (tmp_path / "a-good.txt").write_text(sample_text)
    (tmp_path / "b-empty.txt").write_bytes(b"")
    (tmp_path / "c-headline-only.txt").write_text("Just a headline\n")
    (tmp_path / "d-binary.txt").write_bytes(bytes(range(256)) * 10)
    (tmp_path / "e-long-headline.txt").write_text("H" * 2000 + "\n\nreuters\n\nBody.")
    (tmp_path / "f-html.txt").write_text("<html><body><p>Not page text</p></body></html>")
    (tmp_path / "g-latin1.txt").write_bytes(
        "Café prices rise in Zürich\n\nafp\n\nOwners of cafés said costs rose.\n".encode("latin-1")
    )
    output, status = run_import(str(tmp_path))
    assert status == 1
    assert "2 imported, 0 updated, 0 unchanged, 5 failed" in output
    assert "b-empty.txt: empty file" in output
    assert "c-headline-only.txt: no body" in output
    assert "d-binary.txt: binary file" in output
    assert "e-long-headline.txt: headline is 2,000 characters long" in output
    assert "f-html.txt: this is HTML" in output
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "Putin hints at bilateral talks with Kyiv, truce falters",
        "Café prices rise in Zürich",
    }


def test_a_file_over_the_size_limit_is_refused(tmp_path, settings):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Headline\n\n" + b"word " * (4 * 1024 * 1024))  # 20 MB
    outcomes = import_paths([str(big)])
    assert outcomes[0].status == "failed"
    assert "20.0 MB" in outcomes[0].reason
    assert Article.objects.count() == 0


def test_a_failure_inside_the_database_write_leaves_no_half_article(
    sample_text, tmp_path, monkeypatch
):
    story = tmp_path / "story.txt"
    story.write_text(sample_text.replace("Tags\n", "Tags\n\nUkraine\n"))

    def broken_set_tags(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("newsdesk.articles.services.set_tags", broken_set_tags)
    with pytest.raises(RuntimeError):
        import_paths([str(story)])
    assert Article.objects.count() == 0
    assert ArticleTag.objects.count() == 0


def test_stdin_is_read_for_a_dash(sample_text):
    outcomes = import_paths(["-"], stdin=io.BytesIO(sample_text.encode()))
    assert [o.status for o in outcomes] == ["imported"]


def test_missing_path_is_reported():
    outcomes = import_paths(["/nonexistent/story.txt"])
    assert outcomes[0].status == "failed"
    assert "no such file" in summarise(outcomes)


@pytest.mark.django_db(transaction=True)
def test_newsdesk_console_script_exits_1_when_a_file_fails(sample_path, tmp_path, monkeypatch):
    newsdesk = shutil.which("newsdesk", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert newsdesk, "the newsdesk console script is installed with the package"
    (tmp_path / "empty.txt").write_bytes(b"")
    env = {"NEWSDESK_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"}
    subprocess.run([newsdesk, "migrate", "-v0"], check=True, env=env, capture_output=True)
    result = subprocess.run(
        [newsdesk, "import", str(sample_path), str(tmp_path / "empty.txt")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "1 imported, 0 updated, 0 unchanged, 1 failed" in result.stdout
    assert "empty.txt: empty file" in result.stdout
