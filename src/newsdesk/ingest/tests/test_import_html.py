import gzip
import io
import json
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import SourceFactory
from newsdesk.ingest.importer import import_paths, summarise
from newsdesk.ingest.models import ImportedFile, SourceSettings
from newsdesk.ingest.tests.helpers import article_html, story_text

pytestmark = pytest.mark.django_db


def write_page(folder, name, title="Harbour budget approved after long night", seed=1, **kwargs):
    path = folder / name
    html = article_html(title, story_text(seed), **kwargs).encode()
    path.write_bytes(gzip.compress(html) if name.endswith(".gz") else html)
    return path


def test_html_page_becomes_an_article_with_its_metadata(tmp_path):
    path = write_page(tmp_path, "story.html")
    outcomes = import_paths([str(path)])
    assert [o.status for o in outcomes] == ["imported"]
    article = Article.objects.get()
    assert article.headline == "Harbour budget approved after long night"
    assert article.source.name == "Harbour Times"
    assert [a.name for a in article.authors.all()] == ["Ann Reporter"]
    assert article.published_at == datetime(2024, 3, 5, 8, 30, tzinfo=UTC)
    assert article.language == "en"
    assert article.canonical_url == "https://harbour.example/news/story"
    assert {t.name for t in article.visible_tags} == {"Port", "Budget"}
    assert article.paragraphs == story_text(1)
    for furniture in ("Home", "sponsored", "Related", "Copyright"):
        assert furniture not in article.body


def test_gzipped_html_and_htm_are_imported_from_a_directory(tmp_path):
    write_page(
        tmp_path,
        "a.html.gz",
        title="Rail strike called off",
        seed=2,
        url="https://harbour.example/a",
    )
    write_page(
        tmp_path,
        "b.htm",
        title="Flood warning for river towns",
        seed=3,
        url="https://harbour.example/b",
    )
    outcomes = import_paths([str(tmp_path)])
    assert [o.status for o in outcomes] == ["imported", "imported"]
    assert set(Article.objects.values_list("headline", flat=True)) == {
        "Rail strike called off",
        "Flood warning for river towns",
    }


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    page = tmp_path / "saved.txt"
    page.write_text(article_html("Mayor opens new bridge", story_text(4)))
    assert import_paths([str(page)])[0].status == "imported"
    assert Article.objects.get().headline == "Mayor opens new bridge"


def test_bad_html_inputs_fail_clearly_and_the_rest_of_the_batch_lands(tmp_path):
    write_page(tmp_path, "a-good.html")
    (tmp_path / "b-binary.html").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "c-no-article.html").write_text(
        "<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    (tmp_path / "d-empty.htm").write_bytes(b"")
    (tmp_path / "e-fake.html.gz").write_bytes(b"\x1f\x8bnot really gzip at all")
    (tmp_path / "f-export.xml").write_text("<catalog><book/></catalog>")
    outcomes = import_paths([str(tmp_path)])
    report = summarise(outcomes)
    assert "1 imported, 0 updated, 0 unchanged, 5 failed" in report
    assert "b-binary.html: binary file, not HTML" in report
    assert "c-no-article.html: no article text found in page" in report
    assert "d-empty.htm: empty file" in report
    assert "e-fake.html.gz: not a valid gzip file" in report
    assert "f-export.xml: XML, but neither a WordPress (WXR) nor a Disqus export" in report
    assert Article.objects.count() == 1


def test_source_settings_make_new_stories_drafts(tmp_path):
    SourceSettings.objects.create(
        source=SourceFactory(name="Harbour Times"), default_status="draft"
    )
    import_paths([str(write_page(tmp_path, "story.html"))])
    assert Article.objects.get().status == Article.Status.DRAFT


def test_importing_the_same_page_again_is_skipped_by_the_journal(tmp_path):
    path = write_page(tmp_path, "story.html")
    import_paths([str(path)])
    before = Article.objects.values().get()
    outcomes = import_paths([str(path), str(path)])
    assert [o.status for o in outcomes] == ["unchanged", "unchanged"]
    assert Article.objects.values().get() == before
    assert ImportedFile.objects.count() == 1


def test_a_new_version_at_the_same_canonical_url_updates_the_one_article(tmp_path):
    import_paths([str(write_page(tmp_path, "v1.html", title="Budget vote delayed"))])
    import_paths([str(write_page(tmp_path, "v2.html", title="Budget vote delayed again", seed=9))])
    article = Article.objects.get()
    assert article.headline == "Budget vote delayed again"
    assert article.paragraphs == story_text(9)


def test_extract_command_prints_one_json_object_per_input(tmp_path):
    good = write_page(tmp_path, "good.html.gz")
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("extract", str(good), str(bad), "--json", stdout=out)
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["title"] == "Harbour budget approved after long night"
    assert (first["source"], first["author"], first["language"]) == (
        "Harbour Times",
        "Ann Reporter",
        "en",
    )
    assert first["published"] == "2024-03-05T09:30:00+01:00"
    assert first["tags"] == ["Port", "Budget"]
    assert first["body"].split("\n\n") == story_text(1)
    assert second == {"path": str(bad), "error": "binary file, not HTML"}
    assert Article.objects.count() == 0
