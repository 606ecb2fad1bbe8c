"""Who may do what through the web: owner, another reader, guest, anonymous visitor."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from newsdesk.comments import services
from newsdesk.comments.models import Comment, Recommendation

pytestmark = pytest.mark.django_db
FETCH = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def page(client, article, query=""):
    response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    return response.content.decode()


def test_reader_posts_and_is_sent_to_the_permalink(client, article, owner):
    client.force_login(owner)
    response = client.post(post_url(article), {"body": "First!"})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    html = page(client, article)
    assert ">Comments (1)</h2>" in html and "Leave the first comment" not in html
    assert f'id="comment-{comment.pk}"' in html and "<p>First!</p>" in html


def test_logged_in_reader_gets_a_textarea_guest_gets_name_and_email(client, article, owner):
    html = page(client, article)
    assert (
        'id="comment-form"' in html and 'name="guest_name"' in html and 'name="guest_email"' in html
    )
    client.force_login(owner)
    html = page(client, article)
    assert 'name="body"' in html and 'name="guest_name"' not in html


@override_settings(COMMENTS_ALLOW_GUESTS=False)
def test_anonymous_visitor_gets_a_login_link_when_guests_are_off(client, article):
    html = page(client, article)
    assert 'id="comment-form"' in html and "log in</a> to join the discussion" in html
    assert 'name="body"' not in html
    response = client.post(
        post_url(article), {"body": "hi", "guest_name": "A", "guest_email": "a@example.org"}
    )
    assert response.status_code == 403 and not Comment.objects.exists()


def test_guest_post_is_held_and_the_guest_is_told(client, article):
    data = {"body": "As a guest", "guest_name": "Ann", "guest_email": "ann@example.org"}
    response = client.post(post_url(article), data, follow=True)
    assert "will appear once a moderator has reviewed it" in response.content.decode()
    assert Comment.objects.get().status == Comment.Status.PENDING
    assert "As a guest" not in page(client, article)


def test_errors_keep_the_text_in_the_form(client, article, owner):
    client.force_login(owner)
    with override_settings(COMMENTS_MAX_LENGTH=10):
        response = client.post(post_url(article), {"body": "far too long <b>text</b>"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "the limit is 10" in html
    assert "far too long &lt;b&gt;text&lt;/b&gt;</textarea>" in html
    assert not Comment.objects.exists()


def test_preview_renders_without_saving(client, article, owner):
    client.force_login(owner)
    response = client.post(post_url(article), {"body": "**bold** idea", "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>bold</strong> idea" in html and "**bold** idea</textarea>" in html
    assert not Comment.objects.exists()
    fragment = client.post(post_url(article), {"body": "*x*", "preview": "1"}, **FETCH)
    assert "<em>x</em>" in fragment.content.decode() and "<html" not in fragment.content.decode()


@override_settings(COMMENTS_RATE_LIMITS=[(2, 60)], COMMENTS_IP_RATE_LIMITS=[(0, 60)])
def test_rate_limit_answers_429_keeps_the_text_and_says_when(client, article, owner):
    client.force_login(owner)
    for n in range(2):
        assert client.post(post_url(article), {"body": f"number {n}"}).status_code == 302
    response = client.post(post_url(article), {"body": "the third one"})
    html = response.content.decode()
    assert response.status_code == 429
    assert int(response["Retry-After"]) <= 60
    assert "You may post again in" in html and "the third one</textarea>" in html
    assert Comment.objects.count() == 2


@override_settings(COMMENTS_RATE_LIMITS=[(1, 60)], COMMENTS_IP_RATE_LIMITS=[(1, 60)])
def test_moderators_are_not_rate_limited(client, article, moderator):
    client.force_login(moderator)
    for n in range(3):
        assert client.post(post_url(article), {"body": f"note {n}"}).status_code == 302


@override_settings(COMMENTS_RATE_LIMITS=[(0, 60)], COMMENTS_IP_RATE_LIMITS=[(1, 60)])
def test_guests_are_limited_per_ip(client, article):
    data = {"guest_name": "Ann", "guest_email": "ann@example.org"}
    assert client.post(post_url(article), {**data, "body": "one"}).status_code == 302
    assert client.post(post_url(article), {**data, "body": "two"}).status_code == 429


def test_double_submitted_form_creates_one_comment(client, article, owner):
    client.force_login(owner)
    first = client.post(post_url(article), {"body": "Same"})
    second = client.post(post_url(article), {"body": "Same"})
    assert first["Location"] == second["Location"]
    assert Comment.objects.count() == 1


def test_fetch_post_returns_the_comment_fragment_and_the_count(client, article, owner):
    client.force_login(owner)
    response = client.post(post_url(article), {"body": "via fetch"}, **FETCH)
    comment = Comment.objects.get()
    html = response.content.decode()
    assert response.status_code == 201
    assert html.startswith(f'<li class="comment" id="comment-{comment.pk}"')
    assert response["X-Comment-Count"] == "1" and response["X-Comment-Holder"] == ""
    reply = client.post(post_url(article), {"body": "reply", "parent": comment.pk}, **FETCH)
    assert reply["X-Comment-Holder"] == str(comment.pk)


def test_reply_through_the_form(client, article, owner, other_reader):
    parent = services.post_comment(article, body="parent", author=owner).comment
    client.force_login(other_reader)
    html = page(client, article, f"?reply={parent.pk}")
    assert f'<input type="hidden" name="parent" value="{parent.pk}">' in html
    client.post(post_url(article), {"body": "a reply", "parent": parent.pk})
    assert Comment.objects.get(body="a reply").parent == parent


def test_reply_to_another_articles_comment_is_404(client, article, owner):
    from newsdesk.articles.tests.factories import ArticleFactory

    elsewhere = services.post_comment(ArticleFactory(), body="x", author=owner).comment
    client.force_login(owner)
    assert client.post(post_url(article), {"body": "r", "parent": elsewhere.pk}).status_code == 404


def test_closed_article_shows_the_discussion_and_says_it_is_closed(client, article, owner):
    services.post_comment(article, body="before closing", author=owner)
    services.set_closed(article, True)
    html = page(client, article)
    assert "before closing" in html and "Comments on this article are closed." in html
    assert 'id="comment-form"' not in html and "comment__reply" not in html
    client.force_login(owner)
    assert client.post(post_url(article), {"body": "after"}).status_code == 403


def test_owner_edits_within_the_window_and_the_page_says_edited(client, article, owner):
    comment = services.post_comment(article, body="typo", author=owner).comment
    client.force_login(owner)
    assert "comment__edit" in page(client, article)
    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "fixed"})
    assert response.status_code == 302
    html = page(client, article)
    assert "<p>fixed</p>" in html and ">edited</span>" in html and "typo" not in html
    assert comment.revisions.get().body == "typo"


def test_edit_after_the_window_is_refused(client, article, owner):
    comment = services.post_comment(article, body="old", author=owner).comment
    Comment.objects.filter(pk=comment.pk).update(
        created_at=comment.created_at - timedelta(minutes=16)
    )
    client.force_login(owner)
    assert "comment__edit" not in page(client, article)
    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "new"})
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.body == "old"


def test_other_reader_and_anonymous_cannot_edit_or_delete(client, article, owner, other_reader):
    comment = services.post_comment(article, body="mine", author=owner).comment
    edit_url = reverse("comments:edit", args=[comment.pk])
    delete_url = reverse("comments:delete", args=[comment.pk])
    assert client.post(edit_url, {"body": "hacked"}).status_code == 302  # to the login page
    assert client.post(delete_url).status_code == 302
    client.force_login(other_reader)
    assert "comment__edit" not in page(client, article)
    assert client.post(edit_url, {"body": "hacked"}).status_code == 403
    assert client.post(delete_url).status_code == 404
    comment.refresh_from_db()
    assert comment.body == "mine" and comment.status == Comment.Status.PUBLISHED


def test_owner_deletes_and_the_count_drops(client, article, owner):
    comment = services.post_comment(article, body="regret", author=owner).comment
    client.force_login(owner)
    assert client.get(reverse("comments:delete", args=[comment.pk])).status_code == 200
    client.post(reverse("comments:delete", args=[comment.pk]))
    html = page(client, article)
    assert "regret" not in html and ">Comments (0)</h2>" in html


def test_recommend_toggles_for_another_reader_only(client, article, owner, other_reader):
    comment = services.post_comment(article, body="wise", author=owner).comment
    url = reverse("comments:recommend", args=[comment.pk])
    assert client.post(url).status_code == 302 and not Recommendation.objects.exists()  # anonymous
    client.force_login(owner)
    assert client.post(url, **FETCH).status_code == 403  # one's own
    client.force_login(other_reader)
    assert client.post(url, **FETCH).json() == {"recommended": True, "count": 1}
    assert 'aria-pressed="true">Recommended (' in page(client, article)
    assert client.post(url, **FETCH).json() == {"recommended": False, "count": 0}


def test_permalink_redirects_to_the_anchor_and_hides_non_public(client, article, owner):
    public = services.post_comment(article, body="p", author=owner).comment
    pending = services.post_comment(
        article, body="g", guest_name="G", guest_email="g@example.org"
    ).comment
    response = client.get(f"/comments/{public.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{public.pk}"
    assert client.get(f"/comments/{pending.pk}/").status_code == 404
    services.delete_comment(public, user=owner)
    assert client.get(f"/comments/{public.pk}/").status_code == 404


def test_private_fields_never_reach_the_page(client, article, owner):
    services.post_comment(
        article,
        body="visible",
        guest_name="Ann",
        guest_email="secret-ann@example.org",
        ip="203.0.113.77",
        user_agent="SecretAgent/1.0",
    )
    Comment.objects.update(status=Comment.Status.PUBLISHED, spam_score=0.123456)
    html = page(client, article)
    assert "visible" in html
    for private in ("secret-ann@example.org", "203.0.113.77", "SecretAgent", "0.123456"):
        assert private not in html


def test_cached_anonymous_page_shows_a_new_comment(
    client, article, owner, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        assert ">Comments (0)</h2>" in page(client, article)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(article, body="fresh", author=owner)
    html = page(client, article)
    assert ">Comments (1)</h2>" in html and "fresh" in html


def test_deep_reply_fragment_goes_under_the_third_level_with_in_reply_to(client, article, owner):
    one = services.post_comment(article, body="1", author=owner).comment
    two = services.post_comment(article, body="2", author=owner, parent=one).comment
    three = services.post_comment(article, body="3", author=owner, parent=two).comment
    four = services.post_comment(article, body="4", author=owner, parent=three).comment
    client.force_login(owner)
    response = client.post(post_url(article), {"body": "5", "parent": four.pk}, **FETCH)
    assert response["X-Comment-Holder"] == str(three.pk)
    assert "in reply to Olena K" in response.content.decode()


def test_admin_actions_keep_the_count_in_step(admin_client, article):
    held = services.post_comment(
        article, body="g", guest_name="G", guest_email="g@example.org"
    ).comment
    admin_client.post(
        "/admin/comments/comment/", {"action": "publish", "_selected_action": [held.pk]}
    )
    article.refresh_from_db()
    assert article.comment_count == 1
    admin_client.post(
        "/admin/comments/comment/", {"action": "mark_spam", "_selected_action": [held.pk]}
    )
    article.refresh_from_db()
    assert article.comment_count == 0
