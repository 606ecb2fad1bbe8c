import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    call_command("loaddemo", stdout=io.StringIO())
    return live_server.url


def test_reader_follows_the_front_page_to_the_sample_article(page, demo_site, screenshot_dir):
    page.goto(demo_site + "/")
    page.get_by_role("link", name="Putin hints at bilateral talks with Kyiv, truce falters").click()
    page.wait_for_url("**/news/putin-hints-at-bilateral-talks-with-kyiv-truce-falters/")
    assert page.locator("h1").inner_text() == "Putin hints at bilateral talks with Kyiv, truce falters"
    source = page.locator("header .meta a.source")
    assert source.inner_text() == "Reuters"
    assert source.get_attribute("href") == "/sources/reuters/"
    assert page.get_by_role("heading", name="Tags").is_visible()
    assert page.get_by_role("heading", name="Comments (0)").is_visible()
    assert page.get_by_text("What is your opinion on this topic?").is_visible()
    assert page.get_by_text("Leave the first comment").is_visible()
    assert page.locator(".article__body p").count() == 10
    page.screenshot(path=str(screenshot_dir / "article.png"), full_page=True)


def test_tag_links_lead_to_tag_pages(page, demo_site):
    page.goto(demo_site + "/")
    page.locator(".tag-list a", has_text="Ukraine").first.click()
    assert page.locator("h1").inner_text().endswith("Ukraine")
    assert page.locator(".article-card").count() >= 3


def test_article_is_readable_at_360_pixels_without_horizontal_scroll(browser, demo_site):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(demo_site + "/news/putin-hints-at-bilateral-talks-with-kyiv-truce-falters/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_article_reads_with_javascript_off(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/news/putin-hints-at-bilateral-talks-with-kyiv-truce-falters/")
    assert page.locator(".article__body p").count() == 10
    context.close()
