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
