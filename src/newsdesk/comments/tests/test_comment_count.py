"""Article.comment_count moves by one on each transition into or out of "published",
without recounting the whole discussion on every post."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from newsdesk.articles.models import Article
from newsdesk.comments import services
from newsdesk.comments.models import Comment


def stored_count(article) -> int:
    return Article.objects.get(pk=article.pk).comment_count


def published(article) -> int:
    return Comment.objects.filter(article=article, status=Comment.Status.PUBLISHED).count()


def post(article, owner, body):
    return services.post_comment(article, body=body, author=owner).comment


def test_posting_adds_one_without_counting_the_discussion(article, owner):
    post(article, owner, "First")
    with CaptureQueriesContext(connection) as queries:
        post(article, owner, "Second")
    assert stored_count(article) == 2 == published(article)
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)


def test_every_status_transition_keeps_the_count_exact(article, owner, moderator):
    first, second = post(article, owner, "One"), post(article, owner, "Two")
    services.set_status(first, Comment.Status.REJECTED)
    assert stored_count(article) == 1 == published(article)
    services.set_status(first, Comment.Status.PUBLISHED)
    assert stored_count(article) == 2 == published(article)
    services.set_status(second, Comment.Status.PENDING)
    services.set_status(second, Comment.Status.REJECTED)  # not published to not published
    assert stored_count(article) == 1 == published(article)
    services.delete_comment(first, user=moderator)
    assert stored_count(article) == 0 == published(article)


def test_a_stale_object_cannot_count_a_transition_twice(article, owner):
    comment = post(article, owner, "Once")
    stale = Comment.objects.get(pk=comment.pk)
    services.set_status(comment, Comment.Status.DELETED)
    services.set_status(stale, Comment.Status.DELETED)  # still says "published" in memory
    assert stored_count(article) == 0 == published(article)


def test_editing_leaves_the_count_alone(article, owner):
    comment = post(article, owner, "Draft thought")
    services.edit_comment(comment, user=owner, body="Better thought")
    assert stored_count(article) == 1


def test_a_wrong_count_is_repaired_by_the_recount(article, owner):
    comment = post(article, owner, "Here")
    Article.objects.filter(pk=article.pk).update(comment_count=0)
    services.set_status(comment, Comment.Status.REJECTED)  # would go below zero: recounts
    assert stored_count(article) == 0
    services.set_status(comment, Comment.Status.PUBLISHED)
    Article.objects.filter(pk=article.pk).update(comment_count=7)
    assert services.refresh_comment_count(article.pk) == 1 == stored_count(article)
