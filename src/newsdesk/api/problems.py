"""Errors as RFC 9457 problem details (application/problem+json).

Every error the API returns, whether raised by our endpoints, by django-ninja's
validation and auth, or by URL routing (unknown path, wrong method), goes through
``problem_response`` so clients parse one shape: type, title, status, detail.
"""

import json
import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Problem(HttpError):
    """Raise from an endpoint to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        title: str = "",
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(status, detail or HTTPStatus(status).phrase)
        self.status = status
        self.detail = detail
        self.title = title
        self.headers = headers or {}
        self.extensions = extensions


class _LenientEncoder(DjangoJSONEncoder):
    # Validation errors can carry arbitrary objects in their context.
    def default(self, o):
        try:
            return super().default(o)
        except TypeError:
            return str(o)


def problem_response(
    status: int,
    detail: str = "",
    *,
    title: str = "",
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or HTTPStatus(status).phrase,
        **extensions,
    }
    response = HttpResponse(
        json.dumps(body, cls=_LenientEncoder), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _readable_validation_errors(errors: list[dict]) -> list[dict]:
    return [
        {
            "loc": list(error.get("loc", ())),
            "msg": error.get("msg", ""),
            "type": error.get("type", ""),
        }
        for error in errors
    ]


def on_problem(request, exc: Problem) -> HttpResponse:
    return problem_response(
        exc.status, exc.detail, title=exc.title, headers=exc.headers, **exc.extensions
    )


def on_validation_error(request, exc: ValidationError) -> HttpResponse:
    return problem_response(
        422,
        "The request has fields that are missing or invalid.",
        title="Invalid request",
        errors=_readable_validation_errors(exc.errors),
    )


def on_authentication_error(request, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        401,
        "Send a personal API token as 'Authorization: Bearer <token>', or sign in.",
        headers={"WWW-Authenticate": 'Bearer realm="newsdesk"'},
    )


def on_http_error(request, exc: HttpError) -> HttpResponse:
    return problem_response(exc.status_code, str(exc))


def on_not_found(request, exc: Exception) -> HttpResponse:
    return problem_response(404, "Nothing here.")


def on_permission_denied(request, exc: Exception) -> HttpResponse:
    return problem_response(403, str(exc) or "You may not do this.")


def on_unexpected_error(request, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return problem_response(500, "Something went wrong on our side.")


def install_problem_handlers(api) -> None:
    # ninja looks handlers up by the exception's MRO, so subclasses come first naturally.
    api.add_exception_handler(Problem, on_problem)
    api.add_exception_handler(ValidationError, on_validation_error)
    api.add_exception_handler(AuthenticationError, on_authentication_error)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(Exception, on_unexpected_error)
