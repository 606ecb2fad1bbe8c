import re

import pytest
from django.test import override_settings

from newsdesk.comments import services
from newsdesk.comments.models import Comment
from newsdesk.comments.tests.factories import CommentFactory, UserFactory
from newsdesk.comments.thread import build_tree, load_comments

pytestmark = pytest.mark.django_db


def text(node) -> str:
    """The text of a node's comment, from the markup the page shows ("<p>1</p>" -> "1")."""
    return re.sub(r"<[^>]+>", "", node.comment.body_html).strip()


def names(nodes):
    return [(text(n), [text(c) for c in n.children]) for n in nodes]


def test_replies_nest_to_three_levels_then_flatten_with_in_reply_to(article, owner):
    one = CommentFactory(article=article, body="1")
    two = CommentFactory(article=article, body="2", parent=one)
    three = CommentFactory(article=article, body="3", parent=two)
    four = CommentFactory(article=article, body="4", parent=three, author=owner)
    CommentFactory(article=article, body="5", parent=four)
    roots = build_tree(load_comments(article), None)
    level3 = roots[0].children[0].children[0]
    assert level3.comment.pk == three.pk and level3.depth == 3
    flattened = [(text(n), n.in_reply_to) for n in level3.children]
    expected_name = three.author.username.title()  # the factory's display name
    assert flattened == [("4", expected_name), ("5", "Olena K")]


def test_deleted_comment_with_replies_leaves_a_placeholder_and_without_vanishes(article, client):
    kept = CommentFactory(article=article, body="kept parent", status=Comment.Status.DELETED)
    CommentFactory(article=article, body="a reply", parent=kept)
    CommentFactory(article=article, body="lonely deleted", status=Comment.Status.DELETED)
    html = client.get(article.get_absolute_url()).content.decode()
    assert html.count("This comment was deleted.") == 1
    assert "kept parent" not in html and "lonely deleted" not in html
    assert "a reply" in html


def test_pending_comment_is_shown_only_to_its_author(article, owner, other_reader, client):
    services.post_comment(article, body="published one", author=other_reader)
    pending = CommentFactory(
        article=article, author=owner, body="held text", status=Comment.Status.PENDING
    )
    client.force_login(owner)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "held text" in html and "awaiting review" in html
    assert ">Comments (1)</h2>" in html
    client.force_login(other_reader)
    assert "held text" not in client.get(article.get_absolute_url()).content.decode()
    client.logout()
    assert "held text" not in client.get(article.get_absolute_url()).content.decode()
    assert client.get(f"/comments/{pending.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("sort", "expected"),
    [("oldest", ["a", "b", "c"]), ("newest", ["c", "b", "a"]), ("recommended", ["b", "c", "a"])],
)
def test_discussion_sorts(article, client, sort, expected):
    for body, recs in [("a", 0), ("b", 5), ("c", 2)]:
        CommentFactory(article=article, body=f"Sorted {body}", recommendation_count=recs)
    html = client.get(article.get_absolute_url() + f"?sort={sort}").content.decode()
    found = re.findall(r"<p>Sorted (\w)</p>", html)
    assert found == expected


def _queries_for_page(client, article, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("logged_in", [False, True])
def test_article_page_query_count_does_not_depend_on_the_number_of_comments(
    article, owner, client, logged_in, django_assert_num_queries
):
    if logged_in:
        client.force_login(owner)
    _queries_for_page(client, article, None)  # fills per-process caches (moderation.rules)
    baseline = _queries_for_page(client, article, None)
    authors = [UserFactory() for _ in range(5)]
    parents = []
    for n in range(1000 if not logged_in else 200):
        parent = parents[n // 3] if n >= 3 and n % 2 else None
        parents.append(
            CommentFactory(
                article=article,
                author=authors[n % 5],
                parent=parent,
                body=f"c{n}",
                status=Comment.Status.DELETED if n % 7 == 0 else Comment.Status.PUBLISHED,
            )
        )
        if n == 9:
            with django_assert_num_queries(baseline):
                client.get(article.get_absolute_url())
    with django_assert_num_queries(baseline):
        response = client.get(article.get_absolute_url())
    assert response.content.decode().count('class="comment') > 100


@override_settings(COMMENTS_MAX_DEPTH=2)
def test_depth_is_a_setting(article):
    one = CommentFactory(article=article, body="1")
    two = CommentFactory(article=article, body="2", parent=one)
    CommentFactory(article=article, body="3", parent=two)
    roots = build_tree(load_comments(article), None)
    assert names(roots[0].children) == [("2", ["3"])]
    assert roots[0].children[0].children[0].in_reply_to
