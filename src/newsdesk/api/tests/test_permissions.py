"""Who may call what: every operation against each kind of caller."""

import pytest

from newsdesk.articles.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous_api", "reader_api", "editor_api", "session_api"]

# (method, path, body, expected status per caller)
OPERATIONS = [
    (
        "get",
        "/api/articles",
        None,
        {"anonymous_api": 200, "reader_api": 200, "editor_api": 200, "session_api": 200},
    ),
    (
        "get",
        "/api/articles/{slug}",
        None,
        {"anonymous_api": 200, "reader_api": 200, "editor_api": 200, "session_api": 200},
    ),
    (
        "get",
        "/api/articles/{slug}/comments",
        None,
        {"anonymous_api": 200, "reader_api": 200, "editor_api": 200, "session_api": 200},
    ),
    (
        "get",
        "/api/tags",
        None,
        {"anonymous_api": 200, "reader_api": 200, "editor_api": 200, "session_api": 200},
    ),
    (
        "get",
        "/api/sources",
        None,
        {"anonymous_api": 200, "reader_api": 200, "editor_api": 200, "session_api": 200},
    ),
    (
        "get",
        "/api/search?q=story",
        None,
        {"anonymous_api": 200, "reader_api": 200, "editor_api": 200, "session_api": 200},
    ),
    (
        "post",
        "/api/articles/{slug}/comments",
        {"body": "A comment"},
        {"anonymous_api": 401, "reader_api": 201, "editor_api": 201, "session_api": 403},
    ),
    (
        "post",
        "/api/articles",
        {"headline": "Made through the API", "body": "Text."},
        {"anonymous_api": 401, "reader_api": 403, "editor_api": 201, "session_api": 403},
    ),
    (
        "patch",
        "/api/articles/{slug}",
        {"headline": "Changed through the API"},
        {"anonymous_api": 401, "reader_api": 403, "editor_api": 200, "session_api": 403},
    ),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    OPERATIONS,
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_permissions_matrix(request, caller, method, path, body, expected):
    # session_api is a signed-in reader whose requests carry no CSRF token.
    client = request.getfixturevalue(caller)
    article = ArticleFactory(headline="A story to act on")
    url = path.format(slug=article.slug)
    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code == expected[caller], response.content
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"


def test_reader_token_cannot_edit_articles(reader_api):
    article = ArticleFactory(headline="Untouchable")
    response = reader_api.patch(
        f"/api/articles/{article.pk}", {"headline": "Defaced"}, content_type="application/json"
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Untouchable"


def test_staff_without_the_article_permission_is_not_an_editor(django_user_model):
    from newsdesk.api.tests.conftest import token_client

    staff = django_user_model.objects.create_user("staff", password="pw-staff-1", is_staff=True)
    response = token_client(staff).post(
        "/api/articles", {"headline": "H", "body": "B"}, content_type="application/json"
    )
    assert response.status_code == 403
