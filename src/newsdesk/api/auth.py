"""Who is calling: a personal API token (Authorization: Bearer) or a signed-in session.

A session is only accepted for writes together with Django's CSRF token, as on the
web form; a token is not a cookie, so it needs no CSRF protection.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from newsdesk.api.problems import Problem
from newsdesk.api.tokens import user_for_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return user_for_token(token.strip())


class SessionWithCsrfAuth(APIKeyCookie):
    """Django's session cookie; unsafe methods also need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)  # checked below, only for a signed-in session

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request):
            raise Problem(
                403,
                "A signed-in session must send the CSRF token (X-CSRFToken header).",
                title="CSRF check failed",
            )
        return user


token_auth = TokenAuth()
session_auth = SessionWithCsrfAuth()
TOKEN_OR_SESSION = [token_auth, session_auth]


def optional_user(request: HttpRequest):
    """The caller of a public read, if any: token first, then session; None if anonymous."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer":
        user = user_for_token(token.strip())
        if user is None:  # a wrong token is an error, not a silent fall back to anonymous
            raise Problem(
                401,
                "The API token is unknown or revoked.",
                headers={"WWW-Authenticate": 'Bearer realm="newsdesk", error="invalid_token"'},
            )
        return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
