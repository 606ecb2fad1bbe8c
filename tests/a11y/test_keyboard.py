"""Every reader and moderator action works with the keyboard alone, with a visible focus.

Chromium is driven only through ``page.keyboard``: Tab / Shift+Tab to move, Enter or Space
to act, typing into whatever has the focus. No mouse, no ``click()``, no ``fill()``. Every
element the focus stops on while getting somewhere must show a focus indicator (an outline
or a box-shadow), and every action is checked on the server side too (the database, or the
page after a reload).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User

from newsdesk.articles.tests.factories import ArticleFactory, SourceFactory
from newsdesk.comments import services
from newsdesk.comments.models import Comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a long and private passphrase"
TAB_LIMIT = 150

FOCUS_STATE = """(selector) => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) {
        return {none: true, matches: false, visible: false, what: 'nothing'};
    }
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = !!style.boxShadow && style.boxShadow !== 'none';
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    return {
        none: false,
        matches: selector ? el.matches(selector) : false,
        visible: outline || shadow,
        what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
              (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
              ' "' + text.slice(0, 40) + '"',
    };
}"""


# --- keyboard helpers ------------------------------------------------------------------


def focus_state(page, selector: str | None = None) -> dict:
    return page.evaluate(FOCUS_STATE, selector)


def assert_focus_visible(page) -> None:
    state = focus_state(page)
    assert not state["none"], "the focus is lost (on the document body)"
    assert state["visible"], f"no visible focus indicator on {state['what']}"


def tab_to(page, selector: str, *, back: bool = False, limit: int = TAB_LIMIT) -> None:
    """Press Tab (or Shift+Tab) until the focus is on ``selector``; every stop on the way
    must show its focus."""
    key = "Shift+Tab" if back else "Tab"
    invisible = []
    for _ in range(limit):
        page.keyboard.press(key)
        state = focus_state(page, selector)
        if not state["none"] and not state["visible"]:
            invisible.append(state["what"])
        if state["matches"]:
            assert not invisible, f"focus stops without a visible indicator: {invisible}"
            return
    raise AssertionError(f"{key} never reached {selector} (stops without focus ring: {invisible})")


def type_text(page, text: str) -> None:
    page.keyboard.type(text)


def activate(page, key: str = "Enter") -> None:
    """Press Enter (or Space) on the focused element and wait for the page it loads."""
    with page.expect_navigation():
        page.keyboard.press(key)


def wait_until(page, check, timeout_ms: int = 5000):
    for _ in range(timeout_ms // 50):
        value = check()
        if value:
            return value
        page.wait_for_timeout(50)
    return check()


# --- fixtures --------------------------------------------------------------------------


def make_reader(username: str, display_name: str) -> User:
    from newsdesk.accounts.models import Profile

    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    profile, _ = Profile.objects.get_or_create(user=user)
    profile.display_name = display_name
    profile.save()
    return user


def log_in(context, base: str, user) -> None:
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])


@pytest.fixture
def site(live_server, settings):
    settings.PAGE_CACHE_SECONDS = 0
    source = SourceFactory(name="Keyboard Wire")
    article = ArticleFactory(
        source=source,
        headline="Grain exports resume from Black Sea ports",
        body="Ships carrying wheat left Odesa on Monday.\n\nInsurers remain cautious.",
        tag_names=["Ukraine"],
    )
    return live_server.url, article


@pytest.fixture
def reader(site, page):
    """Mira, logged in; Bohdan, another reader with one comment under the article."""
    base, article = site
    mira = make_reader("mira", "Mira Novak")
    bohdan = make_reader("bohdan", "Bohdan")
    theirs = services.post_comment(article, body="I doubt the ships will sail.", author=bohdan)
    log_in(page.context, base, mira)
    return mira, theirs.comment


def article_url(site) -> str:
    base, article = site
    return base + article.get_absolute_url()


# --- reader: search, sign-up, log in, log out -------------------------------------------


def test_search_box_by_keyboard(page, site):
    base, article = site
    page.goto(base + "/")
    tab_to(page, "#site-search")
    type_text(page, "wheat")
    activate(page)
    assert "/search/?q=wheat" in page.url
    assert page.locator(".search-result").count() == 1
    tab_to(page, ".search-result h2 a")
    activate(page)
    assert page.url == base + article.get_absolute_url()


def test_sign_up_by_keyboard_with_an_error_tied_to_its_field(page, site):
    base, _ = site
    page.goto(base + "/")
    tab_to(page, "a[href='/accounts/signup/']")
    activate(page)
    tab_to(page, "input[name=email]")
    type_text(page, "nadia@example.org")
    tab_to(page, "input[name=password]")  # the display name is left out
    type_text(page, PASSWORD)
    tab_to(page, "button[type=submit]:not(.search-box button)")
    activate(page)

    assert not User.objects.filter(email="nadia@example.org").exists()
    field = page.locator("input[name=display_name]")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby").split()
    errors = " ".join(page.locator(f"#{i}").inner_text() for i in described)
    assert "This field is required" in errors
    # The focus goes straight to the field to fix, so the error is read out with it.
    assert focus_state(page, "input[name=display_name]")["matches"]
    assert_focus_visible(page)

    type_text(page, "Nadia Koval")
    tab_to(page, "input[name=password]")
    type_text(page, PASSWORD)
    tab_to(page, "button[type=submit]:not(.search-box button)")
    activate(page)
    user = User.objects.get(email="nadia@example.org")
    assert user.profile.display_name == "Nadia Koval"
    nav = page.get_by_role("navigation", name="Your account")
    assert nav.get_by_role("link", name="Nadia Koval").is_visible()


def test_log_in_by_keyboard_with_a_wrong_password_announced(page, site):
    base, _ = site
    make_reader("sam", "Sam")
    page.goto(base + "/")
    tab_to(page, "a[href^='/accounts/login/']")
    activate(page)
    tab_to(page, "input[name=username]")
    type_text(page, "sam")
    tab_to(page, "input[name=password]")
    type_text(page, "not the password")
    page.keyboard.press("Enter")  # submitting from the field, as a keyboard user does
    page.wait_for_load_state()
    page.get_by_role("alert").wait_for()

    alert = page.get_by_role("alert")
    assert "do not match" in alert.inner_text()
    error_id = alert.get_attribute("id")
    for name in ("username", "password"):
        field = page.locator(f"input[name={name}]")
        assert field.get_attribute("aria-invalid") == "true"
        assert error_id in field.get_attribute("aria-describedby").split()
    assert focus_state(page, "input[name=username], input[name=password]")["matches"]
    assert_focus_visible(page)

    tab_to(page, "input[name=password]")
    type_text(page, PASSWORD)
    tab_to(page, "button[type=submit]:not(.search-box button)")
    activate(page)
    nav = page.get_by_role("navigation", name="Your account")
    assert nav.get_by_role("link", name="Sam").is_visible()
    assert page.context.request.get(base + "/accounts/settings/", max_redirects=0).status == 200


def test_log_out_by_keyboard(page, site):
    base, _ = site
    sam = make_reader("sam", "Sam")
    log_in(page.context, base, sam)
    page.goto(base + "/")
    tab_to(page, ".account-nav__logout button")
    activate(page)
    assert page.get_by_text("You are logged out.").is_visible()
    # The server forgot the session: the settings page now sends to the log-in page.
    response = page.context.request.get(base + "/accounts/settings/", max_redirects=0)
    assert response.status == 302 and "/accounts/login/" in response.headers["location"]


# --- reader: the discussion -------------------------------------------------------------


def test_preview_and_post_a_comment_by_keyboard(page, site, reader):
    mira, _ = reader
    page.goto(article_url(site))
    tab_to(page, "#comment-body")
    type_text(page, "Talks *now* would be a start.")
    tab_to(page, "#comment-form button[name=preview]")
    page.keyboard.press("Enter")
    page.locator("#comment-form .comment-form__preview em").wait_for()
    assert page.locator("#comment-form .comment-form__preview em").inner_text() == "now"
    assert not Comment.objects.filter(author=mira).exists()  # a preview posts nothing
    assert_focus_visible(page)  # the focus stays on the Preview button

    tab_to(page, "#comment-form button.primary")
    page.keyboard.press("Enter")
    posted = wait_until(page, lambda: Comment.objects.filter(author=mira).first())
    assert posted is not None and posted.body == "Talks *now* would be a start."
    assert posted.status == Comment.Status.PUBLISHED
    page.locator(f"#comment-{posted.pk}").wait_for()
    assert focus_state(page, f"#comment-{posted.pk}")["matches"]  # the focus follows it
    assert_focus_visible(page)
    page.reload()
    assert page.locator(f"#comment-{posted.pk} .comment__body em").inner_text() == "now"


def assert_comment_error_tied_and_focused(page, textarea: str, text: str) -> None:
    field = page.locator(textarea)
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby").split()
    box = page.locator(f"[id='{described[0]}']")
    assert box.get_attribute("role") == "alert"
    assert text in box.inner_text()
    assert focus_state(page, textarea)["matches"]
    assert_focus_visible(page)


def test_comment_error_is_tied_to_the_textarea_by_keyboard(page, site, reader, settings):
    settings.COMMENTS_MAX_LENGTH = 20
    mira, theirs = reader
    page.goto(article_url(site))
    # In a reply form (ids renamed by discussion.js), then in the main form.
    tab_to(page, f"#comment-{theirs.pk} > article a.comment__reply")
    page.keyboard.press("Enter")
    reply_box = f"#comment-{theirs.pk} form.comment-form--reply textarea"
    page.locator(reply_box).wait_for()
    type_text(page, "A reply far longer than twenty characters.")
    tab_to(page, f"#comment-{theirs.pk} form.comment-form--reply button.primary")
    page.keyboard.press("Enter")
    page.locator(f"#comment-{theirs.pk} .comment-form__errors li").wait_for()
    assert_comment_error_tied_and_focused(page, reply_box, "20")

    tab_to(page, "#comment-body")
    type_text(page, "A comment far longer than twenty characters.")
    tab_to(page, "#comment-form button.primary")
    page.keyboard.press("Enter")
    page.locator("#comment-form .comment-form__errors li").wait_for()
    assert_comment_error_tied_and_focused(page, "#comment-body", "20")
    assert page.locator("#comment-body").input_value().startswith("A comment far")
    assert not Comment.objects.filter(author=mira).exists()


def test_post_a_comment_by_keyboard_without_javascript(browser, site, settings):
    base, article = site
    reader = make_reader("nojs", "No Script")
    context = browser.new_context(java_script_enabled=False)
    log_in(context, base, reader)
    page = context.new_page()
    try:
        settings.COMMENTS_MAX_LENGTH = 40
        page.goto(article_url(site))
        tab_to(page, "#comment-body")
        type_text(page, "Posted *without* JavaScript, and much too long at first.")
        tab_to(page, "#comment-form button.primary")
        activate(page)
        assert_comment_error_tied_and_focused(page, "#comment-body", "40")
        assert not Comment.objects.filter(author=reader).exists()
        page.keyboard.press("ControlOrMeta+A")  # the focus is in the text already
        type_text(page, "Posted *without* JavaScript.")
        tab_to(page, "#comment-form button[name=preview]")
        activate(page)
        assert page.locator(".comment-form__preview em").inner_text() == "without"
        assert not Comment.objects.filter(author=reader).exists()
        # The preview page keeps the text; the focus goes on to the Post button from here.
        tab_to(page, "#comment-form button.primary")
        activate(page)
        posted = Comment.objects.get(author=reader)
        assert posted.body == "Posted *without* JavaScript."
        assert re.search(rf"#comment-{posted.pk}$", page.url)
        assert page.locator(f"#comment-{posted.pk}").is_visible()
    finally:
        context.close()


def test_reply_to_a_comment_by_keyboard(page, site, reader):
    mira, theirs = reader
    page.goto(article_url(site))
    tab_to(page, f"#comment-{theirs.pk} > article a.comment__reply")
    page.keyboard.press("Enter")
    # discussion.js opens the reply form under the comment and puts the focus in it.
    page.locator(f"#comment-{theirs.pk} form.comment-form--reply textarea").wait_for()
    assert focus_state(page, f"#comment-{theirs.pk} form.comment-form--reply textarea")["matches"]
    assert_focus_visible(page)
    type_text(page, "They sailed this morning.")
    tab_to(page, f"#comment-{theirs.pk} form.comment-form--reply button.primary")
    page.keyboard.press("Enter")
    reply = wait_until(page, lambda: Comment.objects.filter(author=mira).first())
    assert reply is not None and reply.parent_id == theirs.pk
    page.locator(f"#comment-{reply.pk}").wait_for()
    assert focus_state(page, f"#comment-{reply.pk}")["matches"]
    assert_focus_visible(page)
    page.reload()
    replies = page.locator(f"#comment-{theirs.pk} .comment-list--replies")
    assert "They sailed this morning." in replies.inner_text()


def open_own_comment_action(page, site, author, body: str, action: str) -> Comment:
    """Post ``body`` as ``author``, then reach its ``action`` link (edit, delete) by Tab."""
    _, article = site
    mine = services.post_comment(article, body=body, author=author).comment
    page.goto(article_url(site))
    tab_to(page, f"#comment-{mine.pk} a.comment__{action}")
    activate(page)
    return mine


def test_edit_own_comment_by_keyboard(page, site, reader):
    mira, _ = reader
    mine = open_own_comment_action(page, site, mira, "Talks would be a start.", "edit")
    tab_to(page, "#comment-body")
    page.keyboard.press("ControlOrMeta+A")
    type_text(page, "Talks would be a good start.")
    tab_to(page, "main button[type=submit]")
    activate(page)
    mine.refresh_from_db()
    assert mine.body == "Talks would be a good start."
    assert mine.edited_at is not None
    assert "a good start" in page.locator(f"#comment-{mine.pk}").inner_text()


def test_delete_own_comment_by_keyboard(page, site, reader):
    mira, _ = reader
    mine = open_own_comment_action(page, site, mira, "A comment I regret.", "delete")
    tab_to(page, "main button[type=submit]")
    activate(page)
    mine.refresh_from_db()
    assert mine.status == Comment.Status.DELETED
    assert "A comment I regret." not in page.locator("#comments").inner_text()


def test_recommend_another_readers_comment_by_keyboard(page, site, reader):
    mira, theirs = reader
    page.goto(article_url(site))
    button = f"#comment-{theirs.pk} form.comment__recommend button"
    tab_to(page, button)
    page.keyboard.press("Space")
    page.locator(button, has_text="Recommended (1)").wait_for()
    assert_focus_visible(page)  # still on the button, to undo with one more key
    theirs.refresh_from_db()
    assert theirs.recommendation_count == 1
    assert theirs.recommendations.filter(user=mira).exists()
    page.reload()
    assert page.locator(button).inner_text() == "Recommended (1)"


def test_report_a_comment_with_a_reason_by_keyboard(page, site, reader):
    from newsdesk.moderation.models import Report

    mira, theirs = reader
    page.goto(article_url(site))
    tab_to(page, f"#comment-{theirs.pk} a.comment__report")
    activate(page)
    tab_to(page, "input[name=reason]")  # the first reason, Spam
    page.keyboard.press("ArrowDown")  # arrows move through a radio group: Abuse
    page.keyboard.press("Space")
    assert page.evaluate("() => document.activeElement.value") == "abuse"
    tab_to(page, "#report-text")
    type_text(page, "Insults another reader.")
    tab_to(page, "main button[type=submit]")
    activate(page)
    report = Report.objects.get(comment=theirs, reporter=mira)
    assert report.reason == "abuse"
    assert report.text == "Insults another reader."


def test_change_the_comment_order_by_keyboard(page, site, reader):
    base, article = site
    mira, theirs = reader
    later = services.post_comment(article, body="A later comment.", author=mira).comment
    page.goto(article_url(site))
    ids = page.locator("#comment-list > li.comment").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"comment-{theirs.pk}", f"comment-{later.pk}"]
    tab_to(page, ".comments__sort a[href*='sort=newest']")
    activate(page)
    assert "sort=newest" in page.url
    ids = page.locator("#comment-list > li.comment").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"comment-{later.pk}", f"comment-{theirs.pk}"]
    assert page.locator(".comments__sort [aria-current]").inner_text() == "Newest first"


# --- moderator: the queue ---------------------------------------------------------------


@pytest.fixture
def held(site, page):
    """Three comments held for review, and a moderator logged in."""
    base, article = site
    author = make_reader("newbie", "New Reader")
    comments = []
    for text in ("First held comment.", "Second held comment.", "Third held comment."):
        comments.append(
            Comment.objects.create(
                article=article,
                author=author,
                body=text,
                body_html=f"<p>{text}</p>",
                status=Comment.Status.PENDING,
            )
        )
    moderator = make_reader("moira", "Moira")
    moderator.groups.add(Group.objects.get_or_create(name="moderators")[0])
    log_in(page.context, base, moderator)
    return comments


def status_of(comment_id: int) -> str:
    return Comment.objects.get(pk=comment_id).status


def current_row(page) -> int:
    return int(page.evaluate("() => document.activeElement.dataset.commentId"))


def test_moderator_uses_the_documented_shortcuts(page, site, held):
    base, _ = site
    page.goto(base + "/moderation/")
    for key, status in (("a", "published"), ("r", "rejected"), ("s", "spam")):
        assert_focus_visible(page)  # the current row is focused, with a ring
        target = current_row(page)
        with page.expect_navigation():
            page.keyboard.press(key)
        assert status_of(target) == status, f"key {key} on comment {target}"
        assert page.locator(f"#mq-{target}").count() == 0
    assert page.get_by_text("Nothing waits here.").is_visible()


def test_moderator_moves_with_j_and_k(page, site, held):
    base, _ = site
    page.goto(base + "/moderation/")
    first = current_row(page)
    page.keyboard.press("j")
    second = current_row(page)
    assert second != first
    assert_focus_visible(page)
    page.keyboard.press("k")
    assert current_row(page) == first
    page.keyboard.press("j")
    with page.expect_navigation():
        page.keyboard.press("r")
    assert status_of(second) == "rejected"
    assert status_of(first) == "pending"


@pytest.mark.parametrize(("key", "status"), [("a", "published"), ("r", "rejected"), ("s", "spam")])
def test_moderator_tabs_to_the_buttons(page, site, held, key, status):
    base, _ = site
    target = held[1]
    page.goto(base + "/moderation/")
    tab_to(page, f"#mq-{target.pk} button[data-key={key}]")
    activate(page)
    assert status_of(target.pk) == status
    assert all(status_of(c.pk) == "pending" for c in held if c != target)


def test_moderator_bulk_action_by_keyboard(page, site, held):
    base, _ = site
    first, second, third = held
    page.goto(base + "/moderation/")
    # One row chosen with the x shortcut, one by tabbing to its checkbox and pressing Space.
    while current_row(page) != first.pk:
        page.keyboard.press("j")
    page.keyboard.press("x")
    tab_to(page, f"#mq-{third.pk} input[type=checkbox]")
    page.keyboard.press("Space")
    tab_to(page, "#bulk-action", back=True)
    type_text(page, "reject")  # typing selects the matching option
    assert page.evaluate("() => document.activeElement.value") == "reject"
    tab_to(page, "#bulk-form button[type=submit]")
    activate(page)
    assert status_of(first.pk) == "rejected"
    assert status_of(third.pk) == "rejected"
    assert status_of(second.pk) == "pending"
    assert page.locator(".mq-row").count() == 1
