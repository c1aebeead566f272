"""Referral's member-facing events through notify's real consumer group (issue 17): Kafka in,
one queued message and one inbox item per event for the member it names, nothing twice when an
event is published again. Real broker and database (the billing flow's fixture)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from contracts import Envelope, events, wrap
from tests.integration.kafka_helpers import eventually
from tests.integration.test_notify_billing import notify_group, publish

pytestmark = pytest.mark.integration
__all__ = ["notify_group"]  # the fixture, used by name
DAY = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 10:00 WIB: nothing is held


def referral(e: events.Event) -> Envelope:
    return wrap(e, producer="referral", key=str(e.member_id), correlation_id="corr-ref",
                occurred_at=DAY)


def referral_events(member: uuid.UUID) -> dict[str, events.Event]:
    """Each new event for `member`, by the template it should queue."""
    return {
        "referral_expired": events.ReferralExpired(
            referral_number="0001G0010926P000001", member_id=member,
            expired_on=date(2026, 12, 2)),
        "back_referral_issued": events.BackReferralIssued(
            number="0001R0011226B000001", member_id=member, from_facility="0001R001",
            to_facility="0001G001", issued_on=date(2026, 12, 2)),
        "control_letter_issued": events.ControlLetterIssued(
            number="0001R0011226K000001", member_id=member, facility_code="0001R001",
            poli_code="INT", visit_on=date(2026, 12, 16)),
        "queue_booked": events.QueueBooked(
            booking_code="0001R0011612A000007", member_id=member, facility_code="0001R001",
            poli_code="INT", service_date=date(2026, 12, 16), queue_number=7,
            estimated_service_at=datetime(2026, 12, 16, 2, 30, tzinfo=UTC)),
        "queue_booking_cancelled": events.QueueBookingCancelled(
            booking_code="0001R0011612A000007", member_id=member, reason="dibatalkan peserta"),
    }


async def test_each_referral_event_queues_one_message_and_one_inbox_item(notify_group):
    kafka, pool = notify_group
    member = uuid.uuid4()
    contact = events.ContactChanged(member_id=member, phone="+6281211114444", locale="en")
    await publish(kafka, str(member), wrap(contact, producer="membership", key=str(member),
                                           correlation_id="corr-contact"))
    await eventually(lambda: pool.fetchval("SELECT true FROM contacts WHERE member_id = $1",
                                           member))

    sent = {template: referral(e) for template, e in referral_events(member).items()}
    last = sent["queue_booking_cancelled"]
    # Each published twice (a relay that published again), the last one last: once it is
    # queued, the partition has passed every repeat.
    await publish(kafka, str(member), *[env for env in sent.values() for _ in (1, 2)])

    async def all_queued():
        rows = await pool.fetch("SELECT * FROM notifications WHERE member_id = $1", member)
        return rows if any(r["source_event_id"] == last.event_id for r in rows) else None

    rows = await eventually(all_queued)
    inbox = await pool.fetch("SELECT source_event_id, template FROM inbox_items "
                             "WHERE member_id = $1", member)
    expected = {env.event_id: template for template, env in sent.items()}
    assert len(rows) == len(inbox) == len(sent)  # the repeats queued nothing more
    assert {r["source_event_id"]: r["template"] for r in rows} == expected
    assert {r["source_event_id"]: r["template"] for r in inbox} == expected
    assert {(r["channel"], r["destination"], r["locale"]) for r in rows} == {
        ("sms", "+6281211114444", "en")}
    assert all(r["next_attempt_at"] == r["created_at"] for r in rows)  # daytime: none held
