"""The eligibility projection from membership's and billing's events, and the facility's
signed question on it (GET /v1/partners/facility/eligibility), on the real database."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from contracts import events
from services.referral.domain.schedules import local_date
from services.referral.handlers import eligibility
from tests.integration.conftest import rolled_back
from tests.integration.kafka_helpers import eventually
from tests.integration.referral.world import (
    NOW,
    enrol,
    envelope,
    in_process_client,
    make_facility,
    make_partner,
)

pytestmark = pytest.mark.integration
DAY = date(2026, 12, 1)


async def _answer(conn, fktp: str, card: str, facility_type="fktp", on=DAY) -> dict:
    q = eligibility.CheckEligibility(fktp, facility_type, on, card_number=card)
    return await eligibility.check_eligibility(conn, q, digest_key=None)


async def test_enrolment_then_billing_decides_and_an_older_decision_changes_nothing(
    referral_pool,
):
    async with rolled_back(referral_pool) as conn:
        fktp = await make_facility(conn)
        m = await enrol(conn, fktp)
        assert (await _answer(conn, fktp, m.card_number))["eligible"]

        arrears = events.PremiumArrearsChanged(family_id=m.family_id, unpaid_months=2)
        later = NOW + timedelta(days=40)
        await eligibility.arrears_changed(conn, envelope(arrears, later, "billing"), arrears, NOW)
        lapsed = events.CoverageStatusChanged(
            family_id=m.family_id,
            member_ids=[m.member_id],
            head_member_id=m.member_id,
            status="non_active",
            effective_date=date(2027, 1, 1),
            arrears_months=2,
        )
        await eligibility.coverage_changed(conn, envelope(lapsed, later, "billing"), lapsed, NOW)
        answer = await _answer(conn, fktp, m.card_number)
        assert (answer["eligible"], answer["reason"]) == (False, "arrears")
        assert answer["reason_id"] == "Kepesertaan nonaktif karena tunggakan iuran."

        # An older arrears count and an older coverage decision arrive late: ignored.
        stale = events.PremiumArrearsChanged(family_id=m.family_id, unpaid_months=0)
        await eligibility.arrears_changed(conn, envelope(stale, NOW, "billing"), stale, NOW)
        old = lapsed.model_copy(update={"status": "active", "effective_date": date(2026, 12, 1)})
        await eligibility.coverage_changed(conn, envelope(old, NOW, "billing"), old, NOW)
        assert (await _answer(conn, fktp, m.card_number))["reason"] == "arrears"

        paid = events.PremiumArrearsChanged(family_id=m.family_id, unpaid_months=0)
        paid_at = later + timedelta(days=1)
        await eligibility.arrears_changed(conn, envelope(paid, paid_at, "billing"), paid, NOW)
        assert (await _answer(conn, fktp, m.card_number))["reason"] == "non_active"
        back = lapsed.model_copy(
            update={"status": "active", "effective_date": date(2027, 1, 2), "arrears_months": 0}
        )
        await eligibility.coverage_changed(conn, envelope(back, paid_at, "billing"), back, NOW)
        assert (await _answer(conn, fktp, m.card_number))["eligible"]


async def test_an_fktp_change_and_a_class_change_count_from_their_dates(referral_pool):
    async with rolled_back(referral_pool) as conn:
        old, new = await make_facility(conn), await make_facility(conn)
        m = await enrol(conn, old)
        move = events.FaskesChanged(
            member_id=m.member_id, from_code=old, to_code=new, effective_date=date(2027, 1, 1)
        )
        await eligibility.faskes_changed(conn, envelope(move), move, NOW)
        up = events.ClassChanged(
            family_id=m.family_id,
            member_ids=[m.member_id],
            from_class=3,
            to_class=1,
            effective_date=date(2027, 1, 1),
        )
        await eligibility.class_changed(conn, envelope(up), up, NOW)

        before = await _answer(conn, old, m.card_number, on=date(2026, 12, 31))
        assert (before["eligible"], before["care_class"], before["fktp_code"]) == (True, 3, old)
        after = await _answer(conn, old, m.card_number, on=date(2027, 1, 1))
        assert (after["reason"], after["care_class"], after["fktp_code"]) == (
            "not_registered_here",
            1,
            new,
        )
        # Any hospital serves a member registered elsewhere.
        assert (await _answer(conn, "RSUD0001", m.card_number, "fkrtl"))["eligible"]


async def test_a_newborn_is_covered_as_the_family_is(referral_pool):
    async with rolled_back(referral_pool) as conn:
        fktp = await make_facility(conn)
        head = await enrol(conn, fktp, coverage="non_active", arrears=3)
        baby = events.MemberAdded(
            family_id=head.family_id,
            member_id=uuid.uuid4(),
            card_number="0009" + head.card_number[4:],
            segment="PBPU",
            care_class=3,
            effective_date=DAY,
        )
        await eligibility.member_added(conn, envelope(baby), baby, NOW)
        answer = await _answer(conn, fktp, baby.card_number)
        assert (answer["reason"], answer["fktp_code"]) == ("arrears", fktp)


async def test_a_facility_asks_by_card_or_nik_signed_and_is_answered_in_the_envelope(
    referral_pool,
):
    async with referral_pool.acquire() as conn:
        fktp, other = await make_facility(conn), await make_facility(conn)
        m = await enrol(conn, fktp)
    mine = await make_partner(referral_pool, "fktp", fktp)
    theirs = await make_partner(referral_pool, "fktp", other)
    path = "/v1/partners/facility/eligibility"
    async with in_process_client(referral_pool) as c:
        r = await c.get(path, params={"card_number": m.card_number}, headers=mine.headers())
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["metaData"] == {"code": "200", "message": "OK"}
        assert body["response"]["eligible"] is True
        assert body["response"]["date"] == str(local_date(datetime.now(UTC)))  # today, WIB

        r = await c.get(path, params={"nik": m.nik, "date": "2026-12-01"}, headers=theirs.headers())
        assert r.status_code == 200, r.text
        assert r.json()["response"]["reason"] == "not_registered_here"

        r = await c.get(path, params={"card_number": "9" * 13}, headers=mine.headers())
        assert r.status_code == 404
        assert r.json()["metaData"]["code"] == "201"

        r = await c.get(path, params={"card_number": "12ab"}, headers=mine.headers())
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "card_number"

        r = await c.get(path, params={}, headers=mine.headers())
        assert (r.status_code, r.json()["errors"][0]["field"]) == (422, "card_number")

        r = await c.get(
            path, params={"card_number": m.card_number}, headers=mine.headers(secret="wrong")
        )
        assert r.status_code == 401
        assert r.json()["metaData"]["code"] == "201"
    # The read's own row comes from the batched log (common.call_log): in call order by `at`.
    outcomes = await eventually(lambda: _calls(referral_pool, mine.cons_id, 5))
    assert [o["outcome"] for o in outcomes] == [
        "ok",
        "refused:member_not_found",
        "refused:validation_failed",
        "refused:one_identifier",
        "refused:bad_signature",
    ]


async def _calls(pool, cons_id: str, n: int):
    rows = await pool.fetch(
        "SELECT outcome FROM partner_calls WHERE cons_id = $1 ORDER BY at, id", cons_id)
    return rows if len(rows) >= n else None
