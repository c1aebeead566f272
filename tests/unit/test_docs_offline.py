"""Every service's /docs loads Swagger UI from the service itself, never from a CDN."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from common import docs


def _app() -> FastAPI:
    app = FastAPI(title="JKN test", docs_url=None, redoc_url=None)
    docs.install(app)
    return app


def test_the_docs_page_names_no_other_host() -> None:
    page = TestClient(_app()).get("/docs")
    assert page.status_code == 200
    urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", page.text)
    assert urls and all(u.startswith("/") for u in urls), urls


def test_its_script_and_style_are_served() -> None:
    client = TestClient(_app())
    page = client.get("/docs").text
    for path in re.findall(r"""['"](/docs/static/[^'"]+)['"]""", page):
        r = client.get(path)
        assert r.status_code == 200 and len(r.content) > 100, path


def test_the_bundled_swagger_ui_reads_openapi_3_1() -> None:
    """FastAPI writes OpenAPI 3.1, which Swagger UI reads from version 5 on (4.x shows
    "Unable to render this definition" instead of the API)."""
    from swagger_ui_bundle import swagger_ui_path

    major = int(str(swagger_ui_path).rsplit("swagger-ui-", 1)[1].split(".")[0])
    assert major >= 5
