import re

import pytest
from django.core import mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and private passphrase"


def test_new_reader_signs_up_confirms_logs_out_and_in_again(page, live_server, screenshot_dir):
    mail.outbox.clear()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail address").fill("mira@example.org")
    page.get_by_label("Display name").fill("Mira Novak")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    nav = page.get_by_role("navigation", name="Your account")
    assert nav.get_by_role("link", name="Mira Novak").is_visible()
    assert page.get_by_text("We sent a link to mira@example.org").is_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    assert page.get_by_text("your e-mail address is confirmed").is_visible()
    assert page.get_by_text("confirmed", exact=True).is_visible()

    nav.get_by_role("button", name="Log out").click()
    assert page.get_by_text("You are logged out.").is_visible()
    assert nav.get_by_role("link", name="Log in").is_visible()

    nav.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail or username").fill("mira@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/")
    assert nav.get_by_role("link", name="Mira Novak").is_visible()
    page.screenshot(path=str(screenshot_dir / "accounts-logged-in.png"))


def test_wrong_password_is_announced_next_to_the_form(page, live_server, django_user_model):
    django_user_model.objects.create_user("sam", "sam@example.org", PASSWORD)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("E-mail or username").fill("sam")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    assert "do not match" in page.get_by_role("alert").inner_text()
