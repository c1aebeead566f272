"""QueueNumberCalled in notify, on a real PostgreSQL (a rolled-back transaction): the member is
told at once on their channel where to go; a member notify cannot reach is skipped; the
message reads as the screen calls the number."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from contracts import events, wrap
from services.notify import store
from services.notify.domain.recipients import Contact
from services.notify.domain.templates import render
from services.notify.queue_calls import on_queue_number_called

pytestmark = pytest.mark.integration
SERVICE = "notify"
CALLED_AT = datetime(2026, 12, 1, 2, 15, tzinfo=UTC)  # 09:15 WIB


def called(member_id: uuid.UUID) -> events.QueueNumberCalled:
    return events.QueueNumberCalled(
        booking_code="0001R0011226A000007", member_id=member_id, facility_code="0001R001",
        poli_code="INT", queue_number=7, called_at=CALLED_AT, queue_label="INT-007",
        facility_name="RSUD Abdul Moeloek", poli_name="Penyakit Dalam")


async def test_the_member_is_told_at_once_where_to_go(uow):
    member_id = uuid.uuid4()
    await store.remember_contact(uow, member_id, Contact(None, "+6281211112222", "id"),
                                 CALLED_AT)
    e = called(member_id)
    env = wrap(e, producer="referral", key=str(member_id), correlation_id="c",
               occurred_at=CALLED_AT)
    await on_queue_number_called(uow, env, e)
    [row] = await uow.fetch("SELECT * FROM notifications WHERE member_id = $1", member_id)
    assert (row["template"], row["channel"], row["destination"]) == (
        "queue_call", "sms", "+6281211112222")
    assert row["next_attempt_at"] <= datetime.now(UTC)  # at once, not held over quiet hours
    msg = render(row["template"], row["params"], row["locale"], row["channel"], str)
    assert msg.text == "Antrean INT-007: giliran Anda di RSUD Abdul Moeloek, Penyakit Dalam."


async def test_a_member_notify_cannot_reach_is_skipped(uow):
    member_id = uuid.uuid4()
    e = called(member_id)
    env = wrap(e, producer="referral", key=str(member_id), correlation_id="c",
               occurred_at=CALLED_AT)
    await on_queue_number_called(uow, env, e)
    assert await uow.fetchval(
        "SELECT count(*) FROM notifications WHERE member_id = $1", member_id) == 0
