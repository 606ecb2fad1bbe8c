"""Many readers posting at once: none lost, the count exact, no lock error to a caller."""

import threading

import pytest
from django.db import connection

from newsdesk.articles.models import Article
from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.comments import services
from newsdesk.comments.models import Comment
from newsdesk.comments.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
THREADS, POSTS = 8, 10


def run_in_threads(work, count):
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def runner(index):
        try:
            start.wait()
            work(index)
        except BaseException as exc:  # collected and reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


def test_concurrent_posts_are_all_stored_and_counted():
    article = ArticleFactory()
    readers = [UserFactory() for _ in range(THREADS)]
    results = []

    def post_many(index):
        for n in range(POSTS):
            result = services.post_comment(
                article, body=f"reader {index} post {n}", author=readers[index], ip="127.0.0.1"
            )
            assert result.ok and result.created, result.errors
            results.append(result.comment.pk)

    errors = run_in_threads(post_many, THREADS)
    assert errors == []
    assert len(results) == THREADS * POSTS
    assert Comment.objects.filter(article=article).count() == THREADS * POSTS
    assert Article.objects.get(pk=article.pk).comment_count == THREADS * POSTS


def test_concurrent_double_submits_create_one_comment():
    article = ArticleFactory()
    reader = UserFactory()
    created = []

    def submit(index):
        result = services.post_comment(article, body="clicked many times", author=reader)
        created.append(result.created)

    assert run_in_threads(submit, 6) == []
    assert created.count(True) == 1
    assert Comment.objects.filter(article=article).count() == 1
    assert Article.objects.get(pk=article.pk).comment_count == 1
