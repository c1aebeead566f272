"""Assisted service at the kiosk through membership's real routes: the consent code goes to
the member's own login contact (a ContactCodeIssued notify delivers), only the member's code
opens the session for the officer who started it, and both steps are in the audit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.integration.membership.conftest import (
    insert_staff,
    new_member,
    sealed_code,
    staged,
)
from tests.integration.membership.test_staff_audit import staff_auth

pytestmark = pytest.mark.integration


@pytest.fixture
async def officers(committing_pool):
    tag = uuid.uuid4().hex[:8]
    names = (f"kiosk.a.{tag}", f"kiosk.b.{tag}", f"kiosk.plg.{tag}")
    async with committing_pool.acquire() as conn:
        await insert_staff(conn, names[0], full_name="Petugas Anjungan")
        await insert_staff(conn, names[1])
        await insert_staff(conn, names[2], branch="palembang")
    return names


async def consent_code(pool, session_id: str) -> dict:
    async with pool.acquire() as conn:
        return next(e for e in await staged(conn, "ContactCodeIssued")
                    if e["payload"]["request_id"] == session_id)


async def test_the_members_code_opens_the_session_and_both_steps_are_audited(
        committing_client, committing_pool, officers):
    mine, colleague, _ = officers
    p, auth = await new_member(committing_pool)
    started = await committing_client.post("/v1/officer/assisted-sessions",
                                           headers=staff_auth(mine),
                                           json={"card_number": p.card_number})
    assert started.status_code == 201, started.text
    body = started.json()
    assert (body["status"], body["channel"]) == ("waiting_for_consent", "sms")
    assert p.card_number[-8:] not in started.text  # the destination is masked
    event = await consent_code(committing_pool, body["session_id"])
    assert event["payload"]["purpose"] == "assisted_session"
    assert event["payload"]["destination"] == "+62812" + p.card_number[-8:]
    code = sealed_code(event)
    confirm = f"/v1/officer/assisted-sessions/{body['session_id']}/confirm"

    wrong = "000000" if code != "000000" else "111111"
    r = await committing_client.post(confirm, headers=staff_auth(mine), json={"code": wrong})
    assert r.status_code == 400 and r.json()["code"] == "code_wrong"
    assert await committing_pool.fetchval(
        "SELECT failed_attempts FROM assisted_sessions WHERE session_id = $1",
        uuid.UUID(body["session_id"])) == 1  # the wrong guess is counted, not rolled back
    r = await committing_client.post(confirm, headers=staff_auth(colleague), json={"code": code})
    assert r.status_code == 404  # only the officer who asked may open it

    r = await committing_client.post(confirm, headers=staff_auth(mine), json={"code": code})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "open" and r.json()["member_id"] == p.member_id
    again = await committing_client.post(confirm, headers=staff_auth(mine), json={"code": code})
    assert again.status_code == 409

    log = (await committing_client.get("/v1/me/access-log", headers=auth)).json()["items"]
    assert [i["action"] for i in log] == ["open_assisted_session", "start_assisted_session"]
    assert {i["officer"] for i in log} == {"Petugas Anjungan"}


async def test_refusals(committing_client, committing_pool, officers):
    mine, _, elsewhere = officers
    p, _ = await new_member(committing_pool)
    start = "/v1/officer/assisted-sessions"
    r = await committing_client.post(start, headers=staff_auth(elsewhere),
                                     json={"card_number": p.card_number})
    assert r.status_code == 403 and r.json()["code"] == "other_branch"
    r = await committing_client.post(start, headers=staff_auth(mine),
                                     json={"card_number": "0009999999999"})
    assert r.status_code == 404 and r.json()["errors"][0]["field"] == "card_number"
    r = await committing_client.post(start, headers=staff_auth(mine),
                                     json={"card_number": "12ab"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "card_number"


async def opened_session(client, pool, officer: str, card_number: str) -> str:
    """A session the member consented to: its id."""
    started = await client.post("/v1/officer/assisted-sessions", headers=staff_auth(officer),
                                json={"card_number": card_number})
    session_id = started.json()["session_id"]
    code = sealed_code(await consent_code(pool, session_id))
    r = await client.post(f"/v1/officer/assisted-sessions/{session_id}/confirm",
                          headers=staff_auth(officer), json={"code": code})
    assert r.status_code == 200, r.text
    return session_id


async def test_the_officer_starts_requests_for_the_member_in_the_open_session(
        committing_client, committing_pool, officers):
    mine, colleague, _ = officers
    p, auth = await new_member(committing_pool)
    session_id = await opened_session(committing_client, committing_pool, mine, p.card_number)
    base = f"/v1/officer/assisted-sessions/{session_id}"

    r = await committing_client.post(f"{base}/faskes-changes", headers=staff_auth(colleague),
                                     json={"faskes_code": "T0000001"})
    assert r.status_code == 404  # another officer's session acts for no one
    change = await committing_client.post(f"{base}/faskes-changes", headers=staff_auth(mine),
                                          json={"faskes_code": "T0000001"})
    assert change.status_code == 202, change.text
    fix = await committing_client.post(f"{base}/identity-corrections", headers=staff_auth(mine),
                                       json={"field": "full_name", "value": "Budi Santosa",
                                             "evidence_ref": "KTP-2026-1"})
    assert fix.status_code == 202, fix.text

    # The member's own requests, kept as started at the kiosk by this officer in this session.
    mine_now = (await committing_client.get("/v1/me/requests", headers=auth)).json()
    assert {(r["kind"], r["channel"]) for r in mine_now} == {
        ("faskes_change", "kiosk"), ("identity_correction", "kiosk")}
    kept = await committing_pool.fetch(
        "SELECT r.channel, s.username, r.assisted_session FROM requests r"
        " JOIN staff s ON s.staff_id = r.on_behalf_by WHERE r.member_id = $1",
        uuid.UUID(p.member_id))
    assert {(k["channel"], k["username"], str(k["assisted_session"])) for k in kept} == {
        ("kiosk", mine, session_id)}
    assert len(kept) == 2
    async with committing_pool.acquire() as conn:
        asked = [e for e in await staged(conn, "FaskesChangeRequested")
                 if e["payload"]["member_id"] == p.member_id]
    assert len(asked) == 1  # decided by the rules like the member's own request

    closed = await committing_client.post(f"{base}/close", headers=staff_auth(mine))
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    r = await committing_client.post(f"{base}/identity-corrections", headers=staff_auth(mine),
                                     json={"field": "birth_date", "value": "1990-01-02",
                                           "evidence_ref": "KTP-2026-1"})
    assert r.status_code == 410 and r.json()["code"] == "session_closed"
    assert r.headers["content-type"].startswith("application/problem+json")

    log = (await committing_client.get("/v1/me/access-log", headers=auth)).json()["items"]
    assert [i["action"] for i in log] == [
        "close_assisted_session", "assisted_request", "assisted_request",
        "open_assisted_session", "start_assisted_session"]
    assert log[1]["why_en"] == "Made a request for you at the kiosk"


async def test_no_acts_before_consent_or_after_fifteen_minutes(
        committing_client, committing_pool, officers, own_clock):
    mine, _, _ = officers
    p, _ = await new_member(committing_pool)
    started = await committing_client.post("/v1/officer/assisted-sessions",
                                           headers=staff_auth(mine),
                                           json={"card_number": p.card_number})
    waiting = f"/v1/officer/assisted-sessions/{started.json()['session_id']}/faskes-changes"
    r = await committing_client.post(waiting, headers=staff_auth(mine),
                                     json={"faskes_code": "T0000001"})
    assert r.status_code == 403 and r.json()["code"] == "session_not_open"
    # A session closed while it waited cannot be opened by the code afterwards.
    waiting_session = f"/v1/officer/assisted-sessions/{started.json()['session_id']}"
    assert (await committing_client.post(f"{waiting_session}/close",
                                         headers=staff_auth(mine))).status_code == 200
    code = sealed_code(await consent_code(committing_pool, started.json()["session_id"]))
    r = await committing_client.post(f"{waiting_session}/confirm", headers=staff_auth(mine),
                                     json={"code": code})
    assert r.status_code == 410 and r.json()["code"] == "session_closed"

    session_id = await opened_session(committing_client, committing_pool, mine, p.card_number)
    own_clock.offset = timedelta(minutes=15)
    r = await committing_client.post(f"/v1/officer/assisted-sessions/{session_id}/faskes-changes",
                                     headers=staff_auth(mine), json={"faskes_code": "T0000001"})
    assert r.status_code == 410 and r.json()["code"] == "session_expired"
    assert await committing_pool.fetchval(
        "SELECT count(*) FROM requests WHERE member_id = $1", uuid.UUID(p.member_id)) == 0
