"""A guest's comment is held; a moderator approves it from the queue; it appears, counted."""

import io

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = "/news/putin-hints-at-bilateral-talks-with-kyiv-truce-falters/"
PASSWORD = "a long and private passphrase"


@pytest.fixture
def demo_site(live_server, settings):
    settings.COMMENTS_MODERATOR = "newsdesk.moderation.moderator.SiteModerator"
    settings.COMMENTS_HOLD_GUESTS = True
    settings.MODERATION_MODE = "post"
    settings.PAGE_CACHE_SECONDS = 0
    call_command("loaddemo", stdout=io.StringIO())
    return live_server.url


def test_guest_comment_is_held_then_approved_from_the_queue(
    page, demo_site, django_user_model, screenshot_dir
):
    from django.contrib.auth.models import Group

    moderator = django_user_model.objects.create_user("moira", "moira@example.org", PASSWORD)
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])

    page.goto(demo_site + SAMPLE)
    form = page.locator("#comment-form")
    form.get_by_label("Your name").fill("Guest Greta")
    form.get_by_label("Your e-mail (never shown)").fill("greta@example.org")
    form.get_by_label("Comment").fill("Will the talks include the grain corridor?")
    form.get_by_role("button", name="Post comment").click()
    from newsdesk.comments.models import Comment

    for _ in range(50):  # posted in place by discussion.js, or by a plain form post
        if Comment.objects.filter(body__contains="grain corridor").exists():
            break
        page.wait_for_timeout(100)
    assert Comment.objects.get(body__contains="grain corridor").status == "pending"
    page.goto(demo_site + SAMPLE)
    assert page.get_by_role("heading", name="Comments (0)").is_visible()
    assert page.get_by_text("grain corridor").count() == 0

    page.goto(demo_site + "/accounts/login/?next=/moderation/")
    page.get_by_label("E-mail or username").fill("moira")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(demo_site + "/moderation/")
    row = page.locator(".mq-row").filter(has_text="grain corridor")
    assert "guest_comment" in row.inner_text()
    page.screenshot(path=str(screenshot_dir / "moderation-queue.png"), full_page=True)
    row.get_by_role("button", name="Approve").click()
    page.wait_for_url(demo_site + "/moderation/")
    assert page.locator(".mq-row").filter(has_text="grain corridor").count() == 0

    page.goto(demo_site + SAMPLE)
    assert page.get_by_role("heading", name="Comments (1)").is_visible()
    assert page.locator("li.comment").filter(has_text="grain corridor").is_visible()
