"""Bad input answers 4xx problem+json naming the field, through membership's real routes
in-process over the real PostgreSQL (issue 15 section 3)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from services.membership import tokens
from tests.integration.membership.conftest import JWT_SECRET, new_member

pytestmark = pytest.mark.integration

NUL = "bad\u0000value"


def officer() -> dict[str, str]:
    return {"Authorization": "Bearer "
            + tokens.issue_staff(JWT_SECRET, "officer-test", datetime.now(UTC))}


def named(r, field: str, status: int = 422) -> dict:
    """The answer is a problem of `status` naming `field`; returns the body."""
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert field in [e["field"] for e in body.get("errors", [])], body
    return body


# (method, path, body, the field a NUL goes into); {nul} marks a path segment.
NUL_CASES = [
    ("POST", "/v1/me/complaints", {"category": "service", "text": NUL}, "text"),
    ("PUT", "/v1/me/address", {"street": NUL}, "street"),
    ("POST", "/v1/me/faskes-changes", {"faskes_code": "T0000001", "evidence_ref": NUL},
     "evidence_ref"),
    ("POST", "/v1/me/identity-corrections",
     {"field": "full_name", "value": NUL, "evidence_ref": "KTP-1"}, "value"),
    ("POST", "/v1/me/family/members",
     {"nik": "3171010101240001", "full_name": NUL, "birth_date": "2026-11-01", "sex": "F"},
     "full_name"),
    ("POST", "/v1/staff/token", {"username": NUL, "password": "whatever-it-is"}, "username"),
    ("POST", "/v1/families", {"kk_number": NUL, "care_class": 3, "fktp_code": "T0000001",
                              "members": [{"nik": "3171010101800001", "full_name": "Ani",
                                           "birth_date": "1980-01-01"}]}, "kk_number"),
    ("GET", "/v1/me/complaints/{nul}", None, "ticket"),
    ("POST", "/v1/officer/complaints/{nul}/answer",
     {"text": "Sudah kami tindak lanjuti, terima kasih."}, "ticket"),
    ("POST", "/v1/auth/token", {"username": "someone", "password": NUL}, "password"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), NUL_CASES,
                         ids=[f"{c[0]} {c[1]} {c[3]}" for c in NUL_CASES])
async def test_a_nul_byte_is_refused_naming_the_field(client, membership_pool, method, path,
                                                      body, field):
    _, auth = await new_member(membership_pool)
    headers = officer() if "/officer/" in path else auth
    r = await client.request(method, path.replace("{nul}", "T%00X"), json=body,
                             headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
    problem = named(r, field)
    assert "control characters" in problem["errors"][0]["reason"]


async def test_other_control_characters_are_refused_but_a_complaint_keeps_its_lines(
        client, member, membership_pool):
    p, auth = member
    for bad in ("a\u0007b", "a\u009bb", "a\u001bb"):
        named(await client.put("/v1/me/address", json={"street": bad}, headers=auth), "street")
    r = await client.post("/v1/me/complaints", headers=auth, json={
        "category": "service", "text": "  Baris satu.\r\n\tBaris dua, cafe\u0301.  "})
    assert r.status_code == 201, r.text
    stored = await membership_pool.fetchval(
        "SELECT text FROM complaints WHERE member_id = $1", uuid.UUID(p.member_id))
    # Trimmed, CRLF made one newline, the tab kept, and NFC: e + combining accent is one é.
    assert stored == "Baris satu.\n\tBaris dua, caf\u00e9."
