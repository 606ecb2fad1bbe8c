"""The API's documentation page.

The reference (every operation with its parameters and answers) is rendered here on the
server from the same OpenAPI document clients download, so it reads without JavaScript.
With JavaScript, Swagger UI (django-ninja's bundled copy, served from our own static
files because the CSP allows scripts from 'self' only) turns the page interactive.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(ref_holder: dict) -> str:
    ref = ref_holder.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else ref_holder.get("type", "")


def operations(schema: dict) -> list[dict]:
    """The operations of an OpenAPI document, flattened for a template."""
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            body_schema = next(iter(body.values()), {}).get("schema", {}) if body else {}
            found.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "anchor": operation.get("operationId", f"{method}-{path}"),
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "needs_auth": bool(operation.get("security")),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "description": p.get("description", "")
                            or p.get("schema", {}).get("description", ""),
                        }
                        for p in operation.get("parameters", [])
                    ],
                    "body": _schema_name(body_schema),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return found


def docs_page(request: HttpRequest, api, openapi_url: str) -> HttpResponse:
    schema = api.get_openapi_schema()
    context = {
        "api": api,
        "openapi_url": openapi_url,
        "operations": operations(schema),
    }
    return render(request, "api/docs.html", context)
