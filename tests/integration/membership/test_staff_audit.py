"""The staff audit through membership's real routes: desk reads and actions are recorded in
their own transaction, supervisors search them, the member reads who looked (display name
and branch, never the username), and a disabled account stops at once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from services.membership import tokens
from tests.integration.membership.conftest import JWT_SECRET, insert_staff, new_member

pytestmark = pytest.mark.integration


def staff_auth(username: str, role: str = "officer") -> dict[str, str]:
    token = tokens.issue_staff(JWT_SECRET, username, datetime.now(UTC), role=role,
                               branch="bandar-lampung")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def desk(committing_pool):
    """An officer and a supervisor of their own (names unique to this test)."""
    tag = uuid.uuid4().hex[:8]
    officer, supervisor = f"aud.petugas.{tag}", f"aud.spv.{tag}"
    async with committing_pool.acquire() as conn:
        await insert_staff(conn, officer, full_name="Petugas Audit")
        await insert_staff(conn, supervisor, role="supervisor", full_name="Supervisor Audit")
    return officer, supervisor


async def file_complaint(client, auth) -> str:
    r = await client.post("/v1/me/complaints", headers=auth, json={
        "category": "service", "text": "Antrean di puskesmas lama sekali."})
    assert r.status_code in (200, 201, 202), r.text
    return r.json()["ticket_number"]


async def test_reads_and_actions_are_audited_and_the_member_sees_who(
        committing_client, committing_pool, desk):
    officer, supervisor = desk
    p, auth = await new_member(committing_pool)
    ticket = await file_complaint(committing_client, auth)

    queue = await committing_client.get("/v1/officer/complaints", headers=staff_auth(officer))
    assert queue.status_code == 200 and ticket in [c["ticket_number"] for c in queue.json()]
    answered = await committing_client.post(f"/v1/officer/complaints/{ticket}/answer",
                                            headers=staff_auth(officer),
                                            json={"text": "Maaf, kami cek."})
    assert answered.status_code == 200, answered.text

    log = await committing_client.get("/v1/me/access-log", headers=auth)
    assert log.status_code == 200, log.text
    items = log.json()["items"]
    assert [i["action"] for i in items] == ["answer_complaint", "read_complaints"]
    assert {(i["officer"], i["branch"]) for i in items} == {("Petugas Audit", "bandar-lampung")}
    assert items[0]["why_id"] == "Menjawab pengaduan Anda"
    assert officer not in log.text  # the member sees the display name, not the handle

    found = await committing_client.get(
        "/v1/officer/audit", headers=staff_auth(supervisor, "supervisor"),
        params={"member_id": p.member_id, "action": "answer_complaint", "staff": officer})
    assert found.status_code == 200, found.text
    [entry] = found.json()["items"]
    assert (entry["staff"], entry["subject"], entry["reason"]) == (
        officer, ticket, "handle_complaint")
    # No NIK, name or contact value of the member in the audit.
    assert p.nik not in found.text and p.full_name not in found.text


async def test_audit_pages_filters_and_roles(committing_client, committing_pool, desk):
    officer, supervisor = desk
    _, auth = await new_member(committing_pool)
    await file_complaint(committing_client, auth)
    for _ in range(2):
        assert (await committing_client.get("/v1/officer/complaints",
                                            headers=staff_auth(officer))).status_code == 200
    spv = staff_auth(supervisor, "supervisor")
    page = (await committing_client.get("/v1/officer/audit", headers=spv,
                                        params={"staff": officer, "limit": 1})).json()
    assert len(page["items"]) == 1 and page["next_before"] is not None
    rest = (await committing_client.get("/v1/officer/audit", headers=spv, params={
        "staff": officer, "before": page["next_before"], "limit": 200})).json()
    assert page["items"][0]["audit_id"] not in [i["audit_id"] for i in rest["items"]]
    today = datetime.now(UTC).date().isoformat()
    none_before = (await committing_client.get("/v1/officer/audit", headers=spv, params={
        "staff": officer, "until": "2020-01-01"})).json()
    assert none_before["items"] == [] and none_before["next_before"] is None
    assert (await committing_client.get("/v1/officer/audit", headers=spv, params={
        "staff": officer, "since": today})).status_code == 200

    bad = await committing_client.get("/v1/officer/audit", headers=spv,
                                      params={"action": "peek"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "action"
    assert (await committing_client.get("/v1/officer/audit", headers=spv,
                                        params={"limit": 0})).status_code == 422
    refused = await committing_client.get("/v1/officer/audit", headers=staff_auth(officer))
    assert refused.status_code == 403 and refused.json()["code"] == "role_not_allowed"


async def test_a_disabled_account_stops_before_its_token_expires(
        committing_client, committing_pool, desk):
    officer, _ = desk
    await committing_pool.execute("UPDATE staff SET disabled_at = now() WHERE username = $1",
                                  officer)
    r = await committing_client.get("/v1/officer/requests", headers=staff_auth(officer))
    assert r.status_code == 401 and r.json()["code"] == "staff_account_inactive"


async def test_officers_work_only_their_branchs_members(committing_client, committing_pool,
                                                         desk):
    officer, _ = desk
    elsewhere = f"petugas.plg.{uuid.uuid4().hex[:8]}"
    async with committing_pool.acquire() as conn:
        await insert_staff(conn, elsewhere, branch="palembang")
    _, auth = await new_member(committing_pool)  # lives in Kota Bandar Lampung (1871)
    ticket = await file_complaint(committing_client, auth)

    theirs = await committing_client.get("/v1/officer/complaints", headers=staff_auth(elsewhere))
    assert theirs.status_code == 200
    assert ticket not in [c["ticket_number"] for c in theirs.json()]
    refused = await committing_client.post(f"/v1/officer/complaints/{ticket}/answer",
                                           headers=staff_auth(elsewhere),
                                           json={"text": "Maaf, kami cek."})
    assert refused.status_code == 403 and refused.json()["code"] == "other_branch"
    assert await committing_pool.fetchval(
        "SELECT status FROM complaints WHERE ticket_number = $1", ticket) == "open"

    ours = await committing_client.get("/v1/officer/complaints", headers=staff_auth(officer))
    assert ticket in [c["ticket_number"] for c in ours.json()]


async def test_a_supervisor_gives_a_complaint_to_one_officer(committing_client, committing_pool,
                                                             desk):
    officer, supervisor = desk
    other = f"aud.lain.{uuid.uuid4().hex[:8]}"
    elsewhere = f"aud.plg.{uuid.uuid4().hex[:8]}"
    async with committing_pool.acquire() as conn:
        await insert_staff(conn, other)
        await insert_staff(conn, elsewhere, branch="palembang")
    _, auth = await new_member(committing_pool)
    ticket = await file_complaint(committing_client, auth)
    spv = staff_auth(supervisor, "supervisor")
    assign = f"/v1/officer/complaints/{ticket}/assignee"

    r = await committing_client.post(assign, headers=staff_auth(officer), json={"assignee": other})
    assert r.status_code == 403  # officers do not reassign
    r = await committing_client.post(assign, headers=spv, json={"assignee": elsewhere})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "assignee"
    r = await committing_client.post(assign, headers=spv, json={"assignee": other})
    assert r.status_code == 200, r.text

    queue = (await committing_client.get("/v1/officer/complaints",
                                         headers=staff_auth(officer))).json()
    assert next(c for c in queue if c["ticket_number"] == ticket)["assignee"] == other
    answer = f"/v1/officer/complaints/{ticket}/answer"
    r = await committing_client.post(answer, headers=staff_auth(officer),
                                     json={"text": "Maaf, kami cek."})
    assert r.status_code == 403 and r.json()["code"] == "assigned_to_another"
    r = await committing_client.post(answer, headers=staff_auth(other),
                                     json={"text": "Maaf, kami cek."})
    assert r.status_code == 200, r.text

    found = (await committing_client.get("/v1/officer/audit", headers=spv, params={
        "staff": supervisor, "action": "reassign"})).json()["items"]
    assert [e["subject"] for e in found] == [ticket]
    r = await committing_client.post(f"/v1/officer/requests/{uuid.uuid4()}/assignee",
                                     headers=spv, json={"assignee": other})
    assert r.status_code == 404


async def test_a_supervisor_gives_a_request_in_review_to_one_officer(
        committing_client, committing_pool, desk):
    officer, supervisor = desk
    other = f"aud.lain.{uuid.uuid4().hex[:8]}"
    async with committing_pool.acquire() as conn:
        await insert_staff(conn, other)
    p, _ = await new_member(committing_pool)
    rid = uuid.uuid4()
    await committing_pool.execute(  # a request the rules sent to a person
        "INSERT INTO requests (request_id, member_id, family_id, kind, status, details,"
        " created_at, updated_at) VALUES ($1, $2, $3, 'identity_correction', 'checking',"
        " '{\"field\": \"birth_date\", \"value\": \"1990-02-28\"}', now(), now())",
        rid, uuid.UUID(p.member_id), p.family_id)
    r = await committing_client.post(f"/v1/officer/requests/{rid}/assignee",
                                     headers=staff_auth(supervisor, "supervisor"),
                                     json={"assignee": other})
    assert r.status_code == 200, r.text
    queue = (await committing_client.get("/v1/officer/requests",
                                         headers=staff_auth(officer))).json()
    assert next(q for q in queue if q["request_id"] == str(rid))["assignee"] == other
    reject = {"approve": False, "reason_en": "The document is unreadable.",
              "reason_id": "Dokumen tidak terbaca."}
    r = await committing_client.post(f"/v1/officer/requests/{rid}/decision",
                                     headers=staff_auth(officer), json=reject)
    assert r.status_code == 403 and r.json()["code"] == "assigned_to_another"
    r = await committing_client.post(f"/v1/officer/requests/{rid}/decision",
                                     headers=staff_auth(other), json=reject)
    assert r.status_code == 200 and r.json()["status"] == "rejected", r.text
