"""The API object: django-ninja with problem-details errors, ETags and our docs page."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from newsdesk.api.etag import weak_etag
from newsdesk.api.problems import install_problem_handlers

PROBLEM_MEDIA_TYPE = "application/problem+json"


class OwnDocs(DocsBase):
    """Swagger UI from our own static files (CSP: script-src 'self'), with a reference list
    of the operations rendered on the server for readers without JavaScript."""

    def render_page(self, request: HttpRequest, api: "NewsdeskAPI", **kwargs) -> HttpResponse:
        from newsdesk.api.docs import docs_page

        return docs_page(request, api, self.get_openapi_url(api, kwargs))


class NewsdeskAPI(NinjaAPI):
    def set_default_exception_handlers(self) -> None:
        install_problem_handlers(self)

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # Answers depend on who asks (editors see drafts), so caches must key on it.
            patch_vary_headers(response, ["Authorization", "Cookie"])
            response["ETag"] = weak_etag(response.content)
            conditional = get_conditional_response(
                request, etag=response["ETag"], response=response
            )
            if conditional is not response:
                return conditional
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for code, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(code) >= 400 and "application/json" in content:
                        answer["content"] = {PROBLEM_MEDIA_TYPE: content["application/json"]}
        return schema
