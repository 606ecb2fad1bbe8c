from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from newsdesk.articles.models import Article
from newsdesk.comments import services
from newsdesk.comments.models import Comment, DiscussionSettings, body_digest_of
from newsdesk.comments.moderator import Decision, Moderator
from newsdesk.comments.signals import comment_was_posted, comment_will_be_posted
from newsdesk.comments.tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def count_of(article) -> int:
    return Article.objects.get(pk=article.pk).comment_count


def published_count(article) -> int:
    return Comment.objects.filter(article=article, status="published").count()


def test_account_comment_is_published_and_counted(article, owner):
    result = services.post_comment(article, body="Sensible *point*.", author=owner)
    assert result.ok and result.created
    assert result.comment.status == Comment.Status.PUBLISHED
    assert result.comment.body_html == "<p>Sensible <em>point</em>.</p>"
    assert count_of(article) == 1


def test_guest_comment_is_held_for_review(article):
    result = services.post_comment(
        article, body="Hi", guest_name="Ann", guest_email="ann@example.org"
    )
    assert result.ok and result.status == Comment.Status.PENDING
    assert result.reasons == ["guest_comment"]
    assert count_of(article) == 0


@override_settings(COMMENTS_HOLD_GUESTS=False)
def test_guest_comment_can_publish_directly_when_the_site_says_so(article):
    result = services.post_comment(
        article, body="Hi", guest_name="Ann", guest_email="ann@example.org"
    )
    assert result.status == Comment.Status.PUBLISHED
    assert count_of(article) == 1


@override_settings(COMMENTS_ALLOW_GUESTS=False)
def test_guests_cannot_post_when_the_site_forbids_it(article):
    result = services.post_comment(
        article, body="Hi", guest_name="Ann", guest_email="ann@example.org"
    )
    assert [e.code for e in result.errors] == ["login_required"]
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("name", "email", "code"),
    [("", "ann@example.org", "guest_name"), ("Ann", "not-an-address", "guest_email")],
)
def test_guest_needs_a_name_and_a_valid_email(article, name, email, code):
    result = services.post_comment(article, body="Hi", guest_name=name, guest_email=email)
    assert code in [e.code for e in result.errors]


@pytest.mark.parametrize("body", ["", "   \n\t "])
def test_empty_comment_is_refused(article, owner, body):
    result = services.post_comment(article, body=body, author=owner)
    assert [e.code for e in result.errors] == ["empty"]


@override_settings(COMMENTS_MAX_LENGTH=20)
def test_too_long_comment_is_refused_with_the_limit_in_the_message(article, owner):
    result = services.post_comment(article, body="x" * 21, author=owner)
    assert result.errors[0].code == "too_long"
    assert "limit is 20" in result.errors[0].message
    assert services.post_comment(article, body="x" * 20, author=owner).ok


def test_double_submit_returns_the_first_comment(article, owner):
    first = services.post_comment(article, body="Same words", author=owner)
    second = services.post_comment(article, body="Same words", author=owner)
    assert first.created and not second.created
    assert second.comment.pk == first.comment.pk
    assert Comment.objects.count() == 1 and count_of(article) == 1


def test_same_text_after_the_window_is_a_new_comment(article, owner):
    first = services.post_comment(article, body="Again", author=owner).comment
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(seconds=61))
    assert services.post_comment(article, body="Again", author=owner).created


def test_guest_double_submit_is_matched_by_email(article):
    kwargs = {"body": "Twice", "guest_name": "Ann", "guest_email": "ann@example.org"}
    services.post_comment(article, **kwargs)
    again = services.post_comment(article, **{**kwargs, "guest_email": "ANN@example.org"})
    assert not again.created and Comment.objects.count() == 1


def test_closed_article_refuses_comments(article, owner):
    services.set_closed(article, True)
    result = services.post_comment(article, body="Late", author=owner)
    assert [e.code for e in result.errors] == ["closed"]


@override_settings(COMMENTS_CLOSE_AFTER_DAYS=7)
def test_discussion_closes_automatically_after_n_days(owner):
    from newsdesk.articles.tests.factories import ArticleFactory

    old = ArticleFactory(published_at=timezone.now() - timedelta(days=8))
    fresh = ArticleFactory(published_at=timezone.now() - timedelta(days=6))
    assert not services.post_comment(old, body="Late", author=owner).ok
    assert services.post_comment(fresh, body="In time", author=owner).ok


def test_accounts_only_article_refuses_guests(article, owner):
    DiscussionSettings.objects.create(article=article, mode=DiscussionSettings.Mode.ACCOUNTS_ONLY)
    guest = services.post_comment(article, body="Hi", guest_name="Ann", guest_email="a@example.org")
    assert "login_required" in [e.code for e in guest.errors]
    assert services.post_comment(article, body="Hi", author=owner).ok


def test_unpublished_article_refuses_comments(owner):
    from newsdesk.articles.tests.factories import ArticleFactory

    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert "article_unavailable" in [
        e.code for e in services.post_comment(draft, body="x", author=owner).errors
    ]


def test_reply_must_be_on_the_same_article(article, owner):
    from newsdesk.articles.tests.factories import ArticleFactory

    elsewhere = CommentFactory(article=ArticleFactory())
    result = services.post_comment(article, body="Reply", author=owner, parent=elsewhere)
    assert [e.code for e in result.errors] == ["parent"]


def test_database_refuses_a_reply_on_another_article(article, owner):
    from newsdesk.articles.tests.factories import ArticleFactory

    parent = CommentFactory(article=ArticleFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            article=article, parent=parent, author=owner, body="x", body_html="x"
        )
    reply = CommentFactory(article=parent.article, parent=parent)
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=reply.pk).update(article=article)
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):  # moving the parent away from its replies
        Comment.objects.filter(pk=parent.pk).update(article=article)


def test_moderator_class_comes_from_the_setting(article, owner):
    with override_settings(
        COMMENTS_MODERATOR="newsdesk.comments.tests.test_posting.HoldEverything"
    ):
        result = services.post_comment(article, body="Hi", author=owner)
    assert result.status == Comment.Status.PENDING
    assert result.comment.moderation_reasons == ["held_by_test"]
    assert count_of(article) == 0


class HoldEverything(Moderator):
    def decide(self, candidate):
        assert candidate.comment.body == "Hi" and candidate.comment.pk is None
        return Decision(Comment.Status.PENDING, ["held_by_test"])


def test_signals_are_sent_and_a_receiver_can_refuse(
    article, owner, django_capture_on_commit_callbacks
):
    seen = []

    def refuse_spam(sender, comment, **kwargs):
        return "spam" not in comment.body

    def record(sender, comment, **kwargs):
        seen.append(comment.pk)

    comment_will_be_posted.connect(refuse_spam)
    comment_was_posted.connect(record)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            refused = services.post_comment(article, body="buy spam", author=owner)
            accepted = services.post_comment(article, body="fine", author=owner)
    finally:
        comment_will_be_posted.disconnect(refuse_spam)
        comment_was_posted.disconnect(record)
    assert [e.code for e in refused.errors] == ["refused"]
    assert seen == [accepted.comment.pk]


def test_count_follows_every_kind_of_change(article, owner, other_reader, moderator):
    def consistent():
        assert count_of(article) == published_count(article)

    a = services.post_comment(article, body="one", author=owner).comment
    consistent()
    b = services.post_comment(article, body="two", author=other_reader, parent=a).comment
    consistent()
    guest = services.post_comment(
        article, body="g", guest_name="G", guest_email="g@example.org"
    ).comment
    consistent()
    assert count_of(article) == 2
    services.set_status(guest, Comment.Status.PUBLISHED)  # moderator approves
    consistent()
    assert count_of(article) == 3
    services.edit_comment(a, user=owner, body="one, edited")
    consistent()
    assert services.delete_comment(b, user=other_reader)
    consistent()
    services.set_status(a, Comment.Status.SPAM)
    consistent()
    services.set_status(a, Comment.Status.PUBLISHED)
    consistent()
    assert services.delete_comment(guest, user=moderator)
    consistent()
    assert count_of(article) == 1
    # A moderator's write that bypasses the services is repaired by the one function.
    Comment.objects.filter(pk=a.pk).update(status=Comment.Status.REJECTED)
    assert services.refresh_comment_count(article.pk) == 0
    consistent()


def test_edit_keeps_the_previous_text_and_marks_the_comment(article, owner):
    comment = services.post_comment(article, body="frist", author=owner).comment
    result = services.edit_comment(comment, user=owner, body="first")
    assert result.ok
    comment.refresh_from_db()
    assert comment.body == "first" and comment.body_html == "<p>first</p>"
    assert comment.edited_at is not None
    assert list(comment.revisions.values_list("body", flat=True)) == ["frist"]


def test_edit_window_closes(article, owner):
    comment = services.post_comment(article, body="old", author=owner).comment
    later = comment.created_at + timedelta(minutes=15, seconds=1)
    assert not services.edit_comment(comment, user=owner, body="new", now=later).ok
    assert services.edit_comment(
        comment, user=owner, body="new", now=later - timedelta(seconds=2)
    ).ok


def test_only_the_author_may_edit(article, owner, other_reader, moderator):
    comment = services.post_comment(article, body="mine", author=owner).comment
    assert not services.edit_comment(comment, user=other_reader, body="theirs").ok
    assert not services.edit_comment(comment, user=moderator, body="theirs").ok
    comment.refresh_from_db()
    assert comment.body == "mine"


def test_only_author_or_moderator_may_delete(article, owner, other_reader, moderator):
    comment = services.post_comment(article, body="mine", author=owner).comment
    assert not services.delete_comment(comment, user=other_reader)
    assert services.delete_comment(comment, user=owner)
    assert Comment.objects.get().status == Comment.Status.DELETED
    second = services.post_comment(article, body="two", author=owner).comment
    assert services.delete_comment(second, user=moderator)


def test_recommendation_toggles_once_per_reader(article, owner, other_reader, moderator):
    comment = services.post_comment(article, body="good", author=owner).comment
    assert services.toggle_recommendation(comment, other_reader) == (True, 1)
    assert services.toggle_recommendation(comment, moderator) == (True, 2)
    assert services.toggle_recommendation(comment, other_reader) == (False, 1)
    comment.refresh_from_db()
    assert comment.recommendation_count == 1
    assert services.toggle_recommendation(comment, owner) is None  # not one's own


def test_database_allows_one_recommendation_per_reader(article, owner, other_reader):
    from newsdesk.comments.models import Recommendation

    comment = CommentFactory(article=article, author=owner)
    Recommendation.objects.create(comment=comment, user=other_reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(comment=comment, user=other_reader)


def test_the_text_digest_follows_edits_and_finds_the_same_text(article, owner):
    comment = services.post_comment(article, body="First words.", author=owner).comment
    assert comment.body_digest == body_digest_of("First words.")
    services.edit_comment(comment, user=owner, body="Second words.")
    comment.refresh_from_db()
    assert comment.body_digest == body_digest_of("Second words.")
    since = timezone.now() - timedelta(minutes=5)
    found = services.same_text_since("Second words.", since, author_id=owner.pk, guest_email="")
    assert found == comment.pk
    assert (
        services.same_text_since("First words.", since, author_id=owner.pk, guest_email="") is None
    )
    assert (
        services.same_text_since("Second words.", since, author_id=owner.pk + 1, guest_email="")
        is None
    )


def _indexes_in_plan(sql: str) -> set[str]:
    """The indexes the database would read to run ``sql`` (PostgreSQL or SQLite)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            found, todo = set(), [plan]
            while todo:
                node = todo.pop()
                if isinstance(node, list):
                    todo.extend(node)
                elif isinstance(node, dict):
                    found.update([node["Index Name"]] if "Index Name" in node else [])
                    todo.extend(node.values())
            return found
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        details = [row[-1] for row in cursor.fetchall()]
    return {detail.split("INDEX ")[1].split()[0] for detail in details if "INDEX " in detail}


def test_same_text_check_reads_only_comments_with_that_text(article):
    """A busy discussion without fresh statistics must not turn the check (run inside the
    write lock) into a scan of the whole discussion: only the digest index is read, for
    the double-submit check (on the article) and the repeated-text one (any article).
    (Without the fence, PostgreSQL with no ANALYZE yet reads the author and article
    indexes here from about 10,000 comments on.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Comment.objects.bulk_create(
        Comment(
            article=article,
            guest_name="Load",
            guest_email="load@example.org",
            body=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            body_digest=body_digest_of(f"Comment {n}"),
            status=Comment.Status.PUBLISHED,
        )
        for n in range(20000)
    )
    since = timezone.now() - timedelta(minutes=10)
    digest_index = next(
        index.name for index in Comment._meta.indexes if index.fields[0] == "body_digest"
    )
    for article_id in (article.pk, None):  # double submit, repeated text
        with CaptureQueriesContext(connection) as queries:
            services.same_text_since(
                "A new text",
                since,
                author_id=None,
                guest_email="load@example.org",
                article_id=article_id,
            )
        assert _indexes_in_plan(queries.captured_queries[-1]["sql"]) == {digest_index}


def test_article_for_posting_brings_its_discussion_settings(article, django_assert_num_queries):
    assert services.article_for_posting(article.pk + 1000) is None
    loaded = services.article_for_posting(article.pk)
    with django_assert_num_queries(0):  # no settings row: the default, without asking
        options = services.discussion_settings_for(loaded)
        assert options.pk is None and not options.closed and options.mode == "open"
        assert loaded.is_public and loaded.published_at == article.published_at
        assert loaded.get_absolute_url() == article.get_absolute_url()
    DiscussionSettings.objects.create(article=article, closed=True, mode="premoderated")
    loaded = services.article_for_posting(article.pk)
    with django_assert_num_queries(0):
        options = services.discussion_settings_for(loaded)
        assert options.closed and options.mode == "premoderated" and options.pk is not None
        assert services.is_closed(loaded, options)
    assert loaded.body == article.body  # the rest loads on access


def test_a_post_bumps_the_content_version_once(article, owner, django_capture_on_commit_callbacks):
    """The post bumps the version itself, in its transaction; its save must not queue a
    second bump. A save elsewhere still bumps it through the signal."""
    from newsdesk.site.pagecache import current_content_version

    before = current_content_version()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_comment(article, body="Counted once.", author=owner)
    assert current_content_version() == before + 1
    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.get().save()  # say, an editor in the admin
    assert current_content_version() == before + 2
