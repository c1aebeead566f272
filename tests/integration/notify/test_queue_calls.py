"""QueueNumberCalled in notify, on a real PostgreSQL, with the handlers as the worker binds
them: the member is pushed at once (a call is urgent: never held over quiet hours, push before
SMS), the inbox keeps a copy, the text reads as the screen calls the number, and a call nobody
could deliver in time is given up."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from contracts import events
from services.notify.domain.templates import render
from services.notify.queue_calls import QUEUE_CALL_STALE_AFTER
from services.notify.store import members
from tests.integration.conftest import rolled_back
from tests.integration.notify.conftest import handle, reachable

pytestmark = pytest.mark.integration
NIGHT = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)  # 22:30 WIB: quiet hours hold the rest


def called(member_id: uuid.UUID) -> events.QueueNumberCalled:
    return events.QueueNumberCalled(
        booking_code="0001R0011226A000007", member_id=member_id, facility_code="0001R001",
        poli_code="INT", queue_number=7, called_at=NIGHT, queue_label="INT-007",
        facility_name="RSUD Abdul Moeloek", poli_name="Penyakit Dalam")


async def test_the_member_is_pushed_at_once_where_to_go(notify_pool):
    member_id = uuid.uuid4()
    async with rolled_back(notify_pool) as conn:
        await reachable(conn, member_id)
        await members.register_device(conn, member_id, None, "push-token-123456", "android",
                                      NIGHT)
        await handle(conn, called(member_id), occurred_at=NIGHT)
        [row] = await conn.fetch("SELECT * FROM notifications WHERE member_id = $1", member_id)
        inbox = await conn.fetchval(
            "SELECT count(*) FROM inbox_items WHERE member_id = $1", member_id)
    assert (row["template"], row["channel"]) == ("queue_call", "push")
    assert row["next_attempt_at"] <= datetime.now(UTC)  # not held until the morning
    assert row["deadline"] == NIGHT + QUEUE_CALL_STALE_AFTER
    msg = render(row["template"], row["params"], row["locale"], row["channel"], str)
    assert msg.text == "Antrean INT-007: giliran Anda di RSUD Abdul Moeloek, Penyakit Dalam."
    assert inbox == 1


async def test_without_a_device_the_call_goes_by_sms_at_once(notify_pool):
    member_id = uuid.uuid4()
    async with rolled_back(notify_pool) as conn:
        await reachable(conn, member_id, phone="+6281211112222")
        await handle(conn, called(member_id), occurred_at=NIGHT)
        [row] = await conn.fetch("SELECT * FROM notifications WHERE member_id = $1", member_id)
    assert (row["channel"], row["destination"]) == ("sms", "+6281211112222")
    assert row["next_attempt_at"] <= datetime.now(UTC)


async def test_a_referral_issued_still_reaches_the_member_through_the_fan_out(notify_pool):
    # ReferralIssued's handler, moved onto the fan-out with the queue call (issue 17's notify).
    member_id = uuid.uuid4()
    e = events.ReferralIssued(
        referral_number="0001G0011226P000001", member_id=member_id, from_facility="0001G001",
        to_facility="0001R001", to_facility_name="RSUD Abdul Moeloek", poli_code="INT",
        service_type="2", issued_on=date(2026, 12, 1), valid_through=date(2027, 3, 1))
    async with rolled_back(notify_pool) as conn:
        await reachable(conn, member_id, phone="+6281211113333")
        await handle(conn, e, occurred_at=datetime(2026, 12, 1, 3, tzinfo=UTC))
        [row] = await conn.fetch("SELECT * FROM notifications WHERE member_id = $1", member_id)
    assert (row["template"], row["destination"]) == ("referral_issued", "+6281211113333")
    assert "RSUD Abdul Moeloek" in render(row["template"], row["params"], row["locale"],
                                          row["channel"], str).text
