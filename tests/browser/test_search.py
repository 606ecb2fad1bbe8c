import pytest

from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom(live_server):
    reuters = SourceFactory(name="Reuters", slug="reuters")
    ArticleFactory(
        headline="Grain exports resume from Black Sea ports",
        body="Ships carrying wheat left Odesa on Monday.\n\nInsurers remain cautious.",
        source=reuters,
        tag_names=["Ukraine"],
    )
    ArticleFactory(headline="Lviv opens a new tram line", body="Trams run every six minutes.")
    return live_server.url


def test_reader_searches_from_the_header_and_follows_a_result(page, newsroom, screenshot_dir):
    page.goto(newsroom + "/")
    search = page.get_by_role("search")
    search.get_by_label("Search stories").fill("wheat")
    search.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=wheat")
    results = page.locator(".search-result")
    assert results.count() == 1
    assert results.locator("mark").first.inner_text() == "wheat"
    assert page.locator(".search-results__count").inner_text() == "1 result"
    page.screenshot(path=str(screenshot_dir / "search.png"), full_page=True)
    results.get_by_role("link", name="Grain exports resume from Black Sea ports").click()
    page.wait_for_url("**/news/grain-exports-resume-from-black-sea-ports/")
    assert page.locator("h1").inner_text() == "Grain exports resume from Black Sea ports"


def test_search_with_no_match_says_so_and_works_without_javascript(browser, newsroom):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(newsroom + "/")
    page.get_by_label("Search stories").fill('"unbalanced -')
    page.get_by_label("Search stories").press("Enter")
    page.wait_for_url("**/search/**")
    assert "No results" in page.locator("main").inner_text()
    context.close()
