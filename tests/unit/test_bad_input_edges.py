"""Bad input at the HTTP edge, in-process with no I/O: a body the JSON decoder cannot read
names `body`; a control character in referral's facility-code path names `code`."""

from __future__ import annotations

from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from common import problems
from services.referral.api import facilities as referral_api


class Thing(BaseModel):
    care_class: int = 3
    nested: dict | None = None


def app() -> FastAPI:
    a = FastAPI()
    problems.install(a)
    a.include_router(referral_api.router)
    a.state.runtime = SimpleNamespace(pool=None)  # a refused path never reaches it

    @a.post("/thing")
    async def thing(body: Thing) -> Thing:
        return body
    return a


async def call(method: str, path: str, content: bytes | None = None) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()),
                                 base_url="http://t") as c:
        return await c.request(method, path, content=content,
                               headers={"Content-Type": "application/json"})


@pytest.mark.parametrize(("content", "reason"), [
    (b'{"nested": {"s": "\xff\xfe"}}', "not valid UTF-8"),
    (b'{"nested": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    (b'{"care_class": ' + b"9" * 5000 + b"}", "too many digits"),
])
async def test_an_unreadable_body_is_400_naming_the_body(content: bytes, reason: str) -> None:
    r = await call("POST", "/thing", content)
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "body_unreadable"
    assert r.json()["errors"][0]["field"] == "body"
    assert reason in r.json()["errors"][0]["reason"]


async def test_a_json_syntax_error_names_the_body_not_a_character_position() -> None:
    r = await call("POST", "/thing", b'{"care_class": ')
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body"]


@pytest.mark.parametrize("code", ["T%00X", "T%07X", "T%C2%9BX"])
async def test_a_control_character_in_a_facility_code_names_code(code: str) -> None:
    r = await call("GET", f"/v1/faskes/{code}")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "code"
