"""Online referrals on the real database, through referral's routes in-process: an FKTP issues
one for its member (bad input named by field), the member reads it, the hospital looks it up
and records visits, a control letter and a back-referral; the scheduler announces expiry once."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from common.clock import ShiftedClock, SystemClock
from contracts import events
from services.referral.domain.schedules import local_date
from services.referral.handlers import referrals
from services.referral.handlers.sessions import session_ended
from services.referral.worker import expiry_scheduler
from tests.integration.referral.world import (
    enrol,
    envelope,
    in_process_client,
    make_facility,
    make_partner,
)

pytestmark = pytest.mark.integration
REFERRALS = "/v1/partners/facility/referrals"


async def staged(pool, event_type: str, member_id) -> list[dict]:
    rows = await pool.fetch(
        "SELECT envelope FROM outbox WHERE envelope->>'type' = $1 AND key = $2 ORDER BY id",
        event_type,
        str(member_id),
    )
    return [
        (r["envelope"] if isinstance(r["envelope"], dict) else json.loads(r["envelope"]))["payload"]
        for r in rows
    ]


def key() -> dict[str, str]:
    return {"Idempotency-Key": f"test-{uuid.uuid4().hex}"}


@pytest.fixture
async def world(referral_pool):
    """An FKTP and a hospital, each with its partner, and an active member of the FKTP."""
    async with referral_pool.acquire() as conn:
        fktp = await make_facility(conn, "fktp", ("UMU",))
        hospital = await make_facility(conn, "fkrtl", ("INT", "MAT"))
        other_hospital = await make_facility(conn, "fkrtl", ("INT",))
        member = await enrol(conn, fktp)
    return {
        "fktp": fktp,
        "hospital": hospital,
        "other_hospital": other_hospital,
        "member": member,
        "fktp_partner": await make_partner(referral_pool, "fktp", fktp),
        "hospital_partner": await make_partner(referral_pool, "hospital", hospital),
        "other_partner": await make_partner(referral_pool, "hospital", other_hospital),
    }


def referral_body(w, **changes) -> dict:
    return {
        "card_number": w["member"].card_number,
        "destination_code": w["hospital"],
        "poli_code": "INT",
        "diagnosis": "E11.9",
        "service_type": "2",
        "notes": "Kontrol gula darah",
        **changes,
    }


async def test_the_fktp_issues_the_member_reads_the_hospital_looks_up_and_records(
    referral_pool, world
):
    w, m = world, world["member"]
    async with in_process_client(referral_pool) as c:
        headers = {**w["fktp_partner"].headers(), **key()}
        r = await c.post(REFERRALS, json=referral_body(w), headers=headers)
        assert r.status_code == 200, r.text
        issued = r.json()["response"]
        number = issued["referral_number"]
        assert len(number) == 19 and number.startswith(w["fktp"]) and number[12] == "P"
        assert issued["status"] == "active" and issued["poli"]["code"] == "INT"
        today = local_date(datetime.now(UTC))
        assert issued["valid_through"] == str(today + timedelta(days=90))

        again = await c.post(REFERRALS, json=referral_body(w), headers=headers)
        assert again.json() == r.json()  # the same key: the first answer, nothing new
        assert [
            e["referral_number"] for e in await staged(referral_pool, "ReferralIssued", m.member_id)
        ] == [number]

        mine = await c.get("/v1/me/referrals", headers=m.token())
        assert [i["referral_number"] for i in mine.json()["items"]] == [number]
        one = await c.get(f"/v1/me/referrals/{number}", headers=m.token())
        assert one.json()["to_facility"]["code"] == w["hospital"]

        look = await c.get(f"{REFERRALS}/{number}", headers=w["hospital_partner"].headers())
        assert look.json()["response"]["status"] == "active"
        hidden = await c.get(f"{REFERRALS}/{number}", headers=w["other_partner"].headers())
        assert hidden.status_code == 404 and hidden.json()["metaData"]["code"] == "201"

        visit = {"card_number": m.card_number, "poli_code": "INT", "referral_number": number}
        r = await c.post(
            "/v1/partners/facility/visits",
            json=visit,
            headers={**w["hospital_partner"].headers(), **key()},
        )
        assert r.status_code == 200, r.text
        visit_number = r.json()["response"]["visit_number"]
        [recorded] = await staged(referral_pool, "VisitRecorded", m.member_id)
        assert (recorded["visit_number"], recorded["referral_number"]) == (visit_number, number)

        r = await c.post(
            "/v1/partners/facility/visits",
            json={**visit, "poli_code": "MAT"},
            headers={**w["hospital_partner"].headers(), **key()},
        )
        assert (r.status_code, r.json()["code"]) == (422, "referral_other_poli")

        tomorrow = str(today + timedelta(days=1))
        r = await c.post(
            "/v1/partners/facility/control-letters",
            json={
                "referral_number": number,
                "visit_number": visit_number,
                "poli_code": "INT",
                "planned_date": tomorrow,
            },
            headers={**w["hospital_partner"].headers(), **key()},
        )
        assert r.status_code == 200, r.text
        assert r.json()["response"]["control_letter_number"][12] == "K"
        [letter] = await staged(referral_pool, "ControlLetterIssued", m.member_id)
        assert letter["visit_on"] == tomorrow

        r = await c.post(
            "/v1/partners/facility/back-referrals",
            json={
                "referral_number": number,
                "diagnosis": "E11.9",
                "programme": "01",
                "advice": "Metformin 2x500 mg, kontrol 1 bulan",
            },
            headers={**w["hospital_partner"].headers(), **key()},
        )
        assert r.status_code == 200, r.text
        [back] = await staged(referral_pool, "BackReferralIssued", m.member_id)
        assert (back["from_facility"], back["to_facility"]) == (w["hospital"], w["fktp"])


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"diagnosis": "J6"}, 422, "invalid_icd10", "diagnosis"),
        ({"poli_code": "KIA"}, 422, "poli_not_offered", "poli_code"),
        ({"poli_code": "XY"}, 422, "invalid_poli_code", "poli_code"),
        ({"service_type": "3"}, 422, "invalid_service_type", "service_type"),
        ({"destination_code": "SELF"}, 422, "referral_to_self", "destination_code"),
        ({"destination_code": "ZZZZZZZZ"}, 422, "unknown_destination", "destination_code"),
        ({"card_number": "9999999999999"}, 404, "member_not_found", "card_number"),
        ({"card_number": "12"}, 422, "validation_failed", "card_number"),
    ],
)
async def test_bad_referrals_are_refused_naming_the_field(
    referral_pool, world, changes, status, code, field
):
    w = world
    if changes.get("destination_code") == "SELF":
        changes = {**changes, "destination_code": w["fktp"]}
    async with in_process_client(referral_pool) as c:
        r = await c.post(
            REFERRALS,
            json=referral_body(w, **changes),
            headers={**w["fktp_partner"].headers(), **key()},
        )
    assert r.status_code == status, r.text
    body = r.json()
    assert (body["code"], body["errors"][0]["field"]) == (code, field)
    assert body["metaData"]["code"] == "201"
    assert await staged(referral_pool, "ReferralIssued", w["member"].member_id) == []


async def test_only_an_active_member_of_the_fktp_is_referred_and_only_by_an_fktp(
    referral_pool, world
):
    w = world
    async with referral_pool.acquire() as conn:
        in_arrears = await enrol(conn, w["fktp"], coverage="non_active", arrears=2)
        elsewhere = await enrol(conn, w["hospital"])
    async with in_process_client(referral_pool) as c:
        for member, code in (
            (in_arrears, "member_in_arrears"),
            (elsewhere, "member_not_registered_here"),
        ):
            r = await c.post(
                REFERRALS,
                json=referral_body(w, card_number=member.card_number),
                headers={**w["fktp_partner"].headers(), **key()},
            )
            assert (r.status_code, r.json()["code"]) == (422, code)
        r = await c.post(REFERRALS, json=referral_body(w), headers=w["fktp_partner"].headers())
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "Idempotency-Key")
        r = await c.post(
            REFERRALS, json=referral_body(w), headers={**w["hospital_partner"].headers(), **key()}
        )
        assert r.status_code == 401


async def test_a_referral_expires_after_day_90_announced_once_and_refused_with_the_reason(
    referral_pool, world
):
    w, m = world, world["member"]
    issued_at = datetime.now(UTC) - timedelta(days=91)
    async with referral_pool.acquire() as conn, conn.transaction():
        cmd = referrals.IssueReferral(w["fktp"], **referral_body(w))
        number = (await referrals.issue_referral(conn, cmd, now=issued_at))["referral_number"]
    now = datetime.now(UTC)
    assert await referrals.expire_due(referral_pool, now=now) >= 1
    assert await referrals.expire_due(referral_pool, now=now) == 0  # a rerun announces nothing
    [expired] = await staged(referral_pool, "ReferralExpired", m.member_id)
    valid_through = local_date(issued_at) + timedelta(days=90)
    assert (expired["referral_number"], expired["expired_on"]) == (
        number,
        str(valid_through + timedelta(days=1)),
    )
    async with in_process_client(referral_pool, ShiftedClock()) as c:
        look = await c.get(f"{REFERRALS}/{number}", headers=w["hospital_partner"].headers())
        assert look.json()["response"]["status"] == "expired"
        assert str(valid_through) in look.json()["response"]["reason_en"]
        r = await c.post(
            "/v1/partners/facility/visits",
            json={"card_number": m.card_number, "poli_code": "INT", "referral_number": number},
            headers={**w["hospital_partner"].headers(), **key()},
        )
        assert (r.status_code, r.json()["code"], r.json()["errors"][0]["field"]) == (
            422,
            "referral_expired",
            "referral_number",
        )


async def test_the_scheduler_announces_day_91_not_day_90(referral_pool, world):
    """The worker's loop (as the service runs it) on a referral at each side of the boundary."""
    w = world
    numbers = {}
    async with referral_pool.acquire() as conn, conn.transaction():
        for age in (90, 91):
            cmd = referrals.IssueReferral(w["fktp"], **referral_body(w))
            at = datetime.now(UTC) - timedelta(days=age)
            numbers[age] = (await referrals.issue_referral(conn, cmd, now=at))["referral_number"]
    rt = SimpleNamespace(
        pool=referral_pool,
        clock=SystemClock(),
        settings=SimpleNamespace(expiry_interval_seconds=0.05),
    )
    task = asyncio.create_task(expiry_scheduler(rt))
    try:
        for _ in range(200):
            announced = await staged(referral_pool, "ReferralExpired", w["member"].member_id)
            if announced:
                break
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
    assert [e["referral_number"] for e in announced] == [numbers[91]]
    status = await referral_pool.fetchval(
        "SELECT status FROM referrals WHERE number = $1", numbers[90]
    )
    assert status == "active"


async def test_an_ended_session_is_refused_and_a_reused_key_with_another_body_too(
    referral_pool, world
):
    w, m = world, world["member"]
    sid = uuid.uuid4()
    async with referral_pool.acquire() as conn:
        ended = events.SessionEnded(member_id=m.member_id, sid=sid, ended_at=datetime.now(UTC))
        await session_ended(conn, envelope(ended), ended, datetime.now(UTC))
    async with in_process_client(referral_pool) as c:
        assert (await c.get("/v1/me/referrals", headers=m.token())).status_code == 200
        assert (await c.get("/v1/me/referrals", headers=m.token(sid))).status_code == 401
        headers = {**w["fktp_partner"].headers(), **key()}
        first = await c.post(REFERRALS, json=referral_body(w), headers=headers)
        assert first.status_code == 200, first.text
        other = await c.post(REFERRALS, json=referral_body(w, poli_code="MAT"), headers=headers)
        assert (other.status_code, other.json()["code"]) == (422, "idempotency_key_reused")
