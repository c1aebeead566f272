"""Every service limits its request body and keeps its error answers small (issue 15)."""

from __future__ import annotations

import json

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict

from common import limits, problems


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str


def app(max_bytes: int = 1024) -> TestClient:
    api = FastAPI()
    problems.install(api)
    limits.install(api, max_bytes)

    @api.post("/things")
    async def things(body: Strict) -> dict:
        return {"name": body.name}

    return TestClient(api)


def test_a_declared_body_over_the_limit_is_413_problem() -> None:
    r = app().post("/things", content=b"x" * 1025, headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "payload_too_large"


def test_a_streamed_body_over_the_limit_is_413_problem() -> None:
    def chunks():
        for _ in range(10):
            yield b" " * 200  # no Content-Length: chunked
    r = app().post("/things", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413, r.text
    assert r.json()["code"] == "payload_too_large"


def test_a_body_at_the_limit_passes() -> None:
    body = json.dumps({"name": "a"}).encode().ljust(1024)
    r = app().post("/things", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text


def test_an_error_answer_stays_small_whatever_the_body() -> None:
    junk = {f"unknown_key_{i:05d}_" + "k" * 200: i for i in range(250)}
    body = json.dumps({"name": "a", **junk}).encode()
    assert len(body) > 50_000
    r = app(64 * 1024).post("/things", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert len(r.content) < 8 * 1024, len(r.content)
    doc = r.json()
    assert len(doc["errors"]) == problems.MAX_ERRORS
    assert doc["errors_total"] == 250
    assert doc["errors"][0]["code"] == "extra_forbidden"
    assert doc["errors"][0]["field"].startswith("unknown_key_00000_")
    assert doc["detail"].endswith(f"and {250 - problems.DETAIL_ERRORS} more")
