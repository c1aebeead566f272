"""Bad input answers 4xx problem+json naming the field, through membership's real routes
in-process over the real PostgreSQL (issue 15 section 3)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from contracts import Envelope, parse_event
from services.membership import tokens
from services.membership.handlers import deciders
from synthetic.civil_registry import non_member_families
from tests.integration.membership.conftest import (
    JWT_SECRET,
    PEOPLE,
    insert_civil_family,
    insert_facility,
    insert_person,
    insert_staff,
    new_member,
    next_person,
    staged,
)

pytestmark = pytest.mark.integration

NUL = "bad\u0000value"


@pytest.fixture(autouse=True, scope="module")
async def officer_account(membership_pool):
    """The account officer() tokens name: every desk action is audited against it."""
    async with membership_pool.acquire() as conn:
        await insert_staff(conn, "officer-test")


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


@pytest.mark.parametrize(("field", "value", "status", "code"), [
    ("birth_date", "2023-02-30", 422, "birth_date_invalid"),
    ("birth_date", "2999-01-01", 422, "birth_date_implausible"),
    ("nik", "3" * 20, 422, "nik_format"),
    ("nik", "31710141018000\t1", 422, "validation_failed"),
    ("full_name", "R2-D2", 422, "name_invalid"),
])
async def test_an_identity_correction_the_approval_could_not_apply_is_refused_at_submit(
        client, member, membership_pool, field, value, status, code):
    p, auth = member
    r = await client.post("/v1/me/identity-corrections", headers=auth, json={
        "field": field, "value": value, "evidence_ref": "KTP-2026-1"})
    assert named(r, "value", status)["code"] == code
    assert await membership_pool.fetchval(
        "SELECT count(*) FROM requests WHERE member_id = $1", uuid.UUID(p.member_id)) == 0


async def correct_nik(client, pool, auth, nik: str):
    return await client.post("/v1/me/identity-corrections", headers=auth, json={
        "field": "nik", "value": nik, "evidence_ref": "KTP-2026-1"})


async def to_review(pool, request_id: str) -> None:
    """What the worker does with the request: the rules send it to an officer."""
    async with pool.acquire() as conn, conn.transaction():
        env = Envelope.model_validate(next(
            e for e in await staged(conn, "IdentityCorrectionRequested")
            if e["payload"]["request_id"] == request_id))
        await deciders.route_identity_correction(conn, env, parse_event(env), datetime.now(UTC))


async def test_another_participants_nik_is_409_naming_value(client, member, membership_pool):
    _, auth = member
    other, _ = await new_member(membership_pool)
    assert named(await correct_nik(client, membership_pool, auth, other.nik), "value",
                 409)["code"] == "nik_taken"


async def test_a_nik_taken_between_submit_and_approval_rejects_the_request_by_rule(
        client, member, membership_pool):
    p, auth = member
    newcomer = next_person()  # a valid NIK on no record yet
    r = await correct_nik(client, membership_pool, auth, newcomer.nik)
    assert r.status_code == 202, r.text
    rid = r.json()["request_id"]
    await to_review(membership_pool, rid)
    async with membership_pool.acquire() as conn:
        await insert_person(conn, newcomer)  # the NIK is someone's now
    decided = await client.post(f"/v1/officer/requests/{rid}/decision", headers=officer(),
                                json={"approve": True})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "rejected" and decided.json()["rule"] == "nik_taken"
    row = await membership_pool.fetchrow("SELECT status, rule FROM requests WHERE request_id = $1",
                                         uuid.UUID(rid))
    assert (row["status"], row["rule"]) == ("rejected", "nik_taken")
    # Nothing half-applied: the member keeps their NIK, and no approval is on the timeline.
    assert await membership_pool.fetchval(
        "SELECT nik FROM participants WHERE member_id = $1", uuid.UUID(p.member_id)) == p.nik
    assert [t["status"] for t in await membership_pool.fetch(
        "SELECT status FROM request_timeline WHERE request_id = $1 ORDER BY seq",
        uuid.UUID(rid))] == ["received", "checking", "rejected"]


async def test_an_approved_birth_date_correction_applies(client, member, membership_pool):
    p, auth = member
    r = await client.post("/v1/me/identity-corrections", headers=auth, json={
        "field": "birth_date", "value": "1990-02-28", "evidence_ref": "KTP-2026-1"})
    rid = r.json()["request_id"]
    await to_review(membership_pool, rid)
    decided = await client.post(f"/v1/officer/requests/{rid}/decision", headers=officer(),
                                json={"approve": True})
    assert decided.json()["status"] == "applied", decided.text
    assert str(await membership_pool.fetchval(
        "SELECT birth_date FROM participants WHERE member_id = $1",
        uuid.UUID(p.member_id))) == "1990-02-28"


@pytest.mark.parametrize("approve", ["yes", "true", 1])
async def test_approve_must_be_a_json_boolean(client, approve):
    r = await client.post(f"/v1/officer/requests/{uuid.uuid4()}/decision", headers=officer(),
                          json={"approve": approve})
    named(r, "approve")


FAMILY = {"kk_number": "3171010101260001", "care_class": 3, "fktp_code": "T0000001",
          "members": [{"nik": "3171010101800001", "full_name": "Ani", "birth_date": "1980-01-01"},
                      {"nik": "3171014101820001", "full_name": "Budi",
                       "birth_date": "1982-01-01"}]}


async def test_a_tab_inside_a_nik_of_a_new_family_names_that_member(client, membership_pool):
    body = {**FAMILY, "members": [FAMILY["members"][0],
                                  {**FAMILY["members"][1], "nik": "317101\t4101820001"}]}
    named(await client.post("/v1/families", json=body), "members.1.nik")


@pytest.mark.parametrize("care_class", ["2", True, 2.0, "dua"])
async def test_a_care_class_is_a_json_integer(client, member, care_class):
    _, auth = member
    named(await client.post("/v1/me/class-changes", json={"care_class": care_class},
                            headers=auth), "care_class")
    named(await client.post("/v1/families", json={**FAMILY, "care_class": care_class}),
          "care_class")


async def test_a_birth_date_is_written_as_a_date_not_a_number(client):
    body = {**FAMILY, "members": [{**FAMILY["members"][0], "birth_date": 0}]}
    named(await client.post("/v1/families", json=body), "members.0.birth_date")


async def test_a_no_break_space_copied_inside_a_nik_of_a_new_family_is_no_different_nik(
        client, membership_pool):
    kk = next(non_member_families(40, PEOPLE))
    code = "NB" + uuid.uuid4().hex[:6].upper()
    async with membership_pool.acquire() as conn:
        await insert_facility(conn, code)
        await insert_civil_family(conn, kk)
    members = [{"nik": m.nik[:6] + "\u00a0" + m.nik[6:], "full_name": m.full_name,
                "birth_date": str(m.birth_date)} for m in kk]
    r = await client.post("/v1/families", json={
        "kk_number": kk[0].family_id, "care_class": 3, "fktp_code": code, "members": members})
    assert r.status_code == 201, r.text
    assert await membership_pool.fetchval(
        "SELECT count(*) FROM participants WHERE family_id = $1", kk[0].family_id) == len(kk)
