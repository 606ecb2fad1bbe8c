import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_every_operation():
    schema = Client().get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    operations = {
        (method.upper(), path) for path, item in schema["paths"].items() for method in item
    }
    assert operations == {
        ("GET", "/api/articles"),
        ("POST", "/api/articles"),
        ("GET", "/api/articles/{key}"),
        ("PATCH", "/api/articles/{key}"),
        ("GET", "/api/articles/{key}/comments"),
        ("POST", "/api/articles/{key}/comments"),
        ("GET", "/api/tags"),
        ("GET", "/api/sources"),
        ("GET", "/api/search"),
    }


def test_openapi_declares_errors_as_problem_documents():
    schema = Client().get("/api/openapi.json").json()
    answer = schema["paths"]["/api/articles/{key}"]["get"]["responses"]["404"]
    assert list(answer["content"]) == ["application/problem+json"]


def test_docs_page_uses_only_our_own_scripts():
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts, "Swagger UI scripts are included"
    for tag in scripts:
        src = re.search(r'src="([^"]+)"', tag)
        assert src and src.group(1).startswith("/static/"), tag
    assert "script-src 'self'" in response["Content-Security-Policy"]
    for src in re.findall(r'src="(/static/[^"]+)"', html):
        assert Client().get(src).status_code == 200, src


def test_docs_page_lists_operations_without_javascript():
    html = Client().get("/api/docs").content.decode()
    assert "/api/articles/{key}/comments" in html
    assert "List articles, newest first" in html
