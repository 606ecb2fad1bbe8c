"""A database that cannot take writes gives the reader a clear 503 page that hands back
what they wrote, never a bare server error."""

import pytest
from django.conf import settings
from django.db import InternalError, OperationalError, connection
from django.test import Client, RequestFactory, override_settings

from newsdesk.articles.tests.factories import ArticleFactory
from newsdesk.site.middleware import DatabaseUnavailableMiddleware, is_database_unavailable

MIDDLEWARE = "newsdesk.site.middleware.DatabaseUnavailableMiddleware"
WITH_MIDDLEWARE = (
    settings.MIDDLEWARE if MIDDLEWARE in settings.MIDDLEWARE else [*settings.MIDDLEWARE, MIDDLEWARE]
)


class read_only_database:
    """SQLite's query_only / PostgreSQL's read-only transactions: what a full or
    read-only disk looks like to the application (every write fails)."""

    def __enter__(self):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = ON")
            else:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")

    def __exit__(self, *exc):
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA query_only = OFF")
            else:
                cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE")


@pytest.mark.parametrize(
    "message",
    [
        "attempt to write a readonly database",
        "database or disk is full",
        "database is locked",
        "cannot execute INSERT in a read-only transaction",
        "could not extend file: No space left on device",
    ],
)
def test_unavailable_database_errors_are_recognised(message):
    assert is_database_unavailable(OperationalError(message))


def test_postgresql_read_only_transactions_are_recognised():
    error = InternalError("cannot execute SELECT FOR NO KEY UPDATE in a read-only transaction")
    assert is_database_unavailable(error)


def test_other_database_errors_stay_server_errors():
    assert not is_database_unavailable(OperationalError("no such table: articles_article"))
    assert not is_database_unavailable(ValueError("database is locked"))


def test_middleware_answers_503_and_hands_back_the_text():
    request = RequestFactory().post(
        "/comments/post/1/",
        {
            "body": "My <long> considered reply\nwith two lines",
            "password": "secret-pw",
            "parent": "12",
        },
    )
    middleware = DatabaseUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(request, OperationalError("database or disk is full"))
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "cannot save anything right now" in html
    assert "My &lt;long&gt; considered reply\nwith two lines" in html  # escaped, kept whole
    assert "secret-pw" not in html


@pytest.mark.django_db(transaction=True)  # PostgreSQL: read-only applies to new transactions
@override_settings(MIDDLEWARE=WITH_MIDDLEWARE)
def test_comment_posted_to_a_read_only_database_gets_503_and_keeps_the_text():
    article = ArticleFactory()
    text = "A reader's careful comment that must not be lost, with <angle> brackets."
    client = Client()
    with read_only_database():
        response = client.post(
            f"/comments/post/{article.pk}/",
            {"body": text, "guest_name": "Reader", "guest_email": "reader@example.org"},
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "Please try again" in html
    assert (
        "A reader&#x27;s careful comment that must not be lost, with &lt;angle&gt; brackets."
        in html
    )


@pytest.mark.django_db(transaction=True)  # PostgreSQL: read-only applies to new transactions
@override_settings(MIDDLEWARE=WITH_MIDDLEWARE)
def test_sign_up_on_a_read_only_database_gets_503_not_a_server_error():
    client = Client(raise_request_exception=False)
    with read_only_database():
        response = client.post(
            "/accounts/signup/",
            {
                "email": "new@example.org",
                "display_name": "New Reader",
                "password": "a long passphrase 12",
            },
        )
    assert response.status_code in (503, 200, 400), (
        response.status_code
    )  # 200/400: form refused first
