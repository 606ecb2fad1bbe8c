"""A reader takes part in the discussion under the sample article, with and without JavaScript."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = "/news/putin-hints-at-bilateral-talks-with-kyiv-truce-falters/"
PASSWORD = "a long and private passphrase"


@pytest.fixture
def demo_site(live_server):
    call_command("loaddemo", stdout=io.StringIO())
    return live_server.url


def make_reader(django_user_model, username, display_name):
    from newsdesk.accounts.models import Profile

    user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.display_name = display_name
    profile.save()
    return user


def log_in(page, site, username):
    page.goto(site + "/accounts/login/?next=" + SAMPLE)
    page.get_by_label("E-mail or username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(site + SAMPLE)


def sign_up(page, site, email, display_name):
    page.goto(site + "/accounts/signup/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    nav = page.get_by_role("navigation", name="Your account")
    nav.get_by_role("link", name=display_name).wait_for()
    page.goto(site + SAMPLE)


def test_reader_comments_replies_edits_and_recommends(
    page, demo_site, django_user_model, screenshot_dir
):
    from newsdesk.articles.models import Article
    from newsdesk.comments import services

    other = make_reader(django_user_model, "bohdan", "Bohdan")
    sign_up(page, demo_site, "mira@example.org", "Mira Novak")  # a new reader, through the form
    discussion = page.locator("#comments")
    assert page.get_by_text("Leave the first comment").is_visible()

    # The first comment, posted in place.
    form = page.locator("#comment-form")
    form.get_by_label("Comment").fill("Talks *now* would be a start.")
    form.get_by_role("button", name="Preview").click()
    assert form.locator(".comment-form__preview em").inner_text() == "now"
    assert page.get_by_role("heading", name="Comments (0)").is_visible()  # nothing posted yet
    form.get_by_role("button", name="Post comment").click()
    first = discussion.locator("li.comment").filter(has_text="Talks now would be a start.").first
    first.wait_for()
    assert page.get_by_role("heading", name="Comments (1)").is_visible()
    assert page.get_by_text("Leave the first comment").count() == 0
    assert form.get_by_label("Comment").input_value() == ""

    # A reply, in place, in a form opened under the comment.
    first.get_by_role("link", name="Reply").first.click()
    reply_form = first.locator("form.comment-form--reply")
    reply_form.get_by_label("Comment").fill("And a ceasefire that holds.")
    reply_form.get_by_role("button", name="Post comment").click()
    first.locator(".comment-list--replies li.comment").filter(has_text="ceasefire").wait_for()
    assert page.get_by_role("heading", name="Comments (2)").is_visible()

    # Edit the first comment (a plain page), back at its permalink.
    first.locator(".comment__edit").first.click()
    page.get_by_label("Comment").fill("Talks *now* would be a good start.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url("**" + SAMPLE + "#comment-*")
    edited = page.locator("li.comment").filter(has_text="would be a good start").first
    assert edited.locator(".comment__edit", has_text="Edit").count() >= 1
    assert edited.locator(".comment__edited").first.inner_text() == "edited"

    # Another reader's comment arrives; Mira recommends it without a reload.
    article = Article.objects.get(slug=SAMPLE.strip("/").split("/")[-1])
    services.post_comment(article, body="I doubt it.", author=other)
    page.reload()
    theirs = page.locator("li.comment").filter(has_text="I doubt it.")
    theirs.get_by_role("button", name="Recommend (0)").click()
    theirs.get_by_role("button", name="Recommended (1)").wait_for()

    page.reload()
    assert page.get_by_role("heading", name="Comments (3)").is_visible()
    assert page.locator("li.comment").filter(has_text="would be a good start").first.is_visible()
    assert (
        page.locator(".comment-list--replies")
        .get_by_text("And a ceasefire that holds.")
        .is_visible()
    )
    assert (
        page.locator("li.comment")
        .filter(has_text="I doubt it.")
        .get_by_role("button", name="Recommended (1)")
        .is_visible()
    )
    page.screenshot(path=str(screenshot_dir / "discussion.png"), full_page=True)


def test_posting_works_with_javascript_off(browser, demo_site, django_user_model):
    make_reader(django_user_model, "nojs", "No Script")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in(page, demo_site, "nojs")
    page.locator("#comment-form").get_by_label("Comment").fill("Posted without JavaScript.")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url("**" + SAMPLE + "#comment-*")
    assert page.get_by_role("heading", name="Comments (1)").is_visible()
    assert page.get_by_text("Posted without JavaScript.").is_visible()
    assert page.get_by_text("Leave the first comment").count() == 0
    context.close()
