"""The JSON API under /api/: one NinjaAPI with a router per resource.

Routing answers (an unknown path under /api/, a method the path does not offer) are
problem documents too, like every other API error.
"""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import URLPattern, re_path

from newsdesk.api.endpoints import articles, catalog, comments
from newsdesk.api.framework import NewsdeskAPI, OwnDocs
from newsdesk.api.problems import problem_response

api = NewsdeskAPI(
    title="newsdesk API",
    version="1",
    description=(
        "Read articles, tags, sources, search and discussions; post comments with a personal "
        "API token; editors create and change articles. Reads carry an ETag (send "
        "If-None-Match for a 304); errors are RFC 9457 problem details."
    ),
    urls_namespace="api",
    docs=OwnDocs(),
)
api.add_router("", articles.router)
api.add_router("", comments.router)
api.add_router("", catalog.router)


def with_problem_routing(view):
    @wraps(view)
    def view_with_problems(request, *args, **kwargs):
        if request.method == "HEAD":
            request.method = "GET"  # HEAD is GET without the body; the server drops it
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            return problem_response(
                405, f"This path answers {allowed} only.", headers={"Allow": allowed}
            )
        return response

    return view_with_problems


def _wrapped(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = with_problem_routing(pattern.callback)
    return patterns


def not_found(request, rest=""):
    return problem_response(404, "No such API path; see /api/docs.")


not_found.csrf_exempt = True

_patterns, _app_name, _namespace = api.urls
urlpatterns = [
    re_path("", (_wrapped(_patterns), _app_name, _namespace)),
    re_path(r"^(?P<rest>.*)$", not_found),
]
