"""Assisted service at the kiosk through membership's real routes: the consent code goes to
the member's own login contact (a ContactCodeIssued notify delivers), only the member's code
opens the session for the officer who started it, and both steps are in the audit."""

from __future__ import annotations

import uuid

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
