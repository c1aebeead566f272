"""Accept-Language to the answer's language: pure."""

import pytest

from common.language import preferred


@pytest.mark.parametrize(("header", "lang"), [
    (None, "en"),
    ("", "en"),
    ("id", "id"),
    ("id-ID,id;q=0.9,en-US;q=0.8,en;q=0.7", "id"),
    ("en-US,en;q=0.9,id;q=0.8", "en"),
    ("en;q=0.5, id;q=0.6", "id"),
    ("ID", "id"),
    ("fr-FR,fr;q=0.9", "en"),
    ("*", "en"),
    ("id;q=0", "en"),  # "not Indonesian"
    ("id;q=abc", "en"),
    ("en, id", "en"),  # a tie: the first named
    ("jv, id;q=0.8", "id"),  # Javanese first: Indonesian is the one of ours it reads
    ("," * 10_000 + "id", "en"),  # past the first twenty ranges nothing is read
])
def test_the_caller_gets_the_language_it_ranks_highest(header, lang):
    assert preferred(header) == lang


def _app():
    from fastapi import FastAPI
    from fastapi.testclient import TestClient
    from pydantic import BaseModel, Field

    from common import problems
    from common.errors import NotFound

    class Thing(BaseModel):
        name: str = Field(max_length=3)

    app = FastAPI()
    problems.install(app)

    @app.post("/things")
    async def make(thing: Thing) -> dict:
        return {}

    @app.get("/things/{code}")
    async def get(code: str) -> dict:
        raise NotFound("thing_not_found", "No thing has this code.",
                       "Tidak ada barang dengan kode ini.", field="code")

    return TestClient(app)


def test_a_refusal_reads_in_the_language_the_caller_ranks_first():
    client = _app()
    english = client.get("/things/x")
    assert english.headers["content-language"] == "en"
    assert english.json()["detail"] == "No thing has this code."
    assert english.json()["detail_id"] == "Tidak ada barang dengan kode ini."
    indonesian = client.get("/things/x", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.8"})
    body = indonesian.json()
    assert indonesian.status_code == 404
    assert indonesian.headers["content-language"] == "id"
    assert "accept-language" in indonesian.headers["vary"].lower()
    assert body["detail"] == body["errors"][0]["reason"] == "Tidak ada barang dengan kode ini."
    assert body["detail_en"] == "No thing has this code."
    assert body["code"] == "thing_not_found"  # what clients branch on never changes


def test_a_validation_error_has_indonesian_reasons_too():
    client = _app()
    r = client.post("/things", json={"name": "abcd"}, headers={"Accept-Language": "id"})
    body = r.json()
    assert r.status_code == 422 and r.headers["content-language"] == "id"
    assert body["errors"][0] == {"field": "name", "reason": "Paling banyak 3 karakter.",
                                 "reason_id": "Paling banyak 3 karakter.",
                                 "code": "string_too_long"}
    assert body["detail"] == "name: Paling banyak 3 karakter."
    missing = client.post("/things", json={}, headers={"Accept-Language": "en"}).json()
    assert missing["detail"] == "name: Field required"
    assert missing["errors"][0]["reason_id"] == "Wajib diisi."
