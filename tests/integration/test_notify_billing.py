"""Billing's events through notify's real consumer group: Kafka in, one queued notification
per event for the family head, nothing twice, nothing for an employer. Real broker and
database; the topics are namespaced per test so no other test's events are read."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from common.consumer import EventConsumer
from common.db import create_pool, migrate
from common.kafka import make_producer
from common.settings import KafkaSettings
from contracts import Envelope, events, topics, wrap
from devstack.kafka import create_topics
from services.notify.domain.budget import SmsBudget
from services.notify.worker import TOPIC_OF, consumers
from tests.integration.kafka_helpers import eventually

pytestmark = pytest.mark.integration

VA = "8888801944358911"
FAMILY = "1871092005100003"
NIGHT = datetime(2026, 5, 31, 16, 30, tzinfo=UTC)  # 23:30 WIB: held until 06:00 WIB
MORNING = datetime(2026, 5, 31, 23, 0, tzinfo=UTC)


@pytest.fixture
async def notify_group(kafka, fresh_db):
    """Notify's own consumer spec running on fresh topics and its own database (its commits
    must not reach the rolled-back use-case tests' rows); yields (kafka, pool)."""
    dsn = await fresh_db("notify_consumer")
    await migrate(dsn, Path("services/notify/migrations"))
    pool = await create_pool(dsn, 4)
    ns = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers,
                       topic_prefix=f"{kafka.topic_prefix}{uuid.uuid4().hex[:8]}.")
    [spec] = consumers(SmsBudget(Decimal(1_000_000), Decimal(350)))
    await create_topics(ns.bootstrap_servers, {
        **{ns.topic(t): 3 for t in spec.topics}, ns.topic(topics.dead_letter(spec.group)): 1})
    dead_letters = make_producer(ns, "notify-test-dlq")
    await dead_letters.start()
    task = asyncio.create_task(EventConsumer(spec, pool, ns, dead_letters).run())
    try:
        yield ns, pool
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await dead_letters.stop()
        await pool.close()


async def publish(kafka: KafkaSettings, key: str, *envelopes: Envelope) -> None:
    """Each envelope on its event's topic, one key: one partition, in order."""
    producer = make_producer(kafka, "billing-test")
    await producer.start()
    try:
        for env in envelopes:
            await producer.send_and_wait(kafka.topic(TOPIC_OF[env.type]),
                                         env.model_dump_json().encode(), key=key.encode())
    finally:
        await producer.stop()


def billing(e: events.Event, occurred_at: datetime | None = None) -> Envelope:
    return wrap(e, producer="billing", key=FAMILY, correlation_id="corr-bill",
                occurred_at=occurred_at)


def family_bill(member: uuid.UUID) -> events.BillIssued:
    return events.BillIssued(bill_id=uuid.uuid4(), payer_kind="family", payer_id=FAMILY,
                             period="2026-06", amount=300_000, due_date=date(2026, 6, 10),
                             member_id=member, va=VA, amount_due=300_000)


async def test_each_billing_event_queues_one_message_for_the_head_and_none_for_employers(
        notify_group):
    kafka, pool = notify_group
    head = uuid.uuid4()
    contact = events.ContactChanged(member_id=head, phone="+6281211112222", locale="id")
    await publish(kafka, str(head), wrap(contact, producer="membership", key=str(head),
                                         correlation_id="corr-contact"))
    await eventually(lambda: pool.fetchval("SELECT true FROM contacts WHERE member_id = $1",
                                           head))

    bill = billing(family_bill(head))
    employer_bill = billing(events.BillIssued(
        bill_id=uuid.uuid4(), payer_kind="employer", payer_id="EMP-1", period="2026-06",
        amount=5_000_000, due_date=date(2026, 6, 10), amount_due=5_000_000))
    employer_payment = billing(events.PaymentReceived(
        payment_id=uuid.uuid4(), payer_kind="employer", payer_id="EMP-1", amount=5_000_000,
        channel="bri", bank_reference="B-EMP", paid_at=MORNING,
        settled_periods=["2026-06"], credit=0))
    reminder = billing(events.BillReminderIssued(
        bill_id=bill.payload["bill_id"], family_id=FAMILY, member_id=head, period="2026-06",
        amount_due=300_000, due_date=date(2026, 6, 10), va=VA))
    lapsed = billing(events.CoverageStatusChanged(
        family_id=FAMILY, member_ids=[head, uuid.uuid4()], head_member_id=head,
        status="non_active", effective_date=date(2026, 6, 1), arrears_months=1, va=VA), NIGHT)
    payment = billing(events.PaymentReceived(
        payment_id=uuid.uuid4(), payer_kind="family", payer_id=FAMILY, member_id=head, va=VA,
        amount=600_000, channel="bri", bank_reference="B-1", paid_at=NIGHT,
        settled_periods=["2026-05", "2026-06"], credit=0), NIGHT)
    back = billing(events.CoverageStatusChanged(
        family_id=FAMILY, member_ids=[head], head_member_id=head, status="active",
        effective_date=date(2026, 6, 12), arrears_months=0))
    # The bill twice (a relay that published again); the employer's events before the last
    # one, so once that is queued the partition has passed them.
    await publish(kafka, FAMILY, bill, bill, employer_bill, employer_payment, reminder, lapsed,
                  payment, back)

    async def all_queued():
        rows = await pool.fetch("SELECT * FROM notifications WHERE member_id = $1", head)
        return rows if any(r["template"] == "coverage_active" for r in rows) else None

    rows = {r["source_event_id"]: r for r in await eventually(all_queued)}
    assert {env.event_id: rows[env.event_id]["template"] for env in
            (bill, reminder, lapsed, payment, back)} == {
        bill.event_id: "bill_issued", reminder.event_id: "bill_reminder",
        lapsed.event_id: "coverage_non_active", payment.event_id: "payment_received",
        back.event_id: "coverage_active"}
    assert len(rows) == 5  # the repeated bill queued nothing more
    assert {(r["channel"], r["destination"], r["locale"]) for r in rows.values()} == {
        ("sms", "+6281211112222", "id")}
    assert rows[bill.event_id]["params"]["va"] == VA
    assert rows[payment.event_id]["params"]["settled_periods"] == ["2026-05", "2026-06"]
    assert rows[lapsed.event_id]["next_attempt_at"] == MORNING  # quiet hours, from billing's time
    receipt = rows[payment.event_id]  # also issued at night, but a receipt is never held
    assert receipt["next_attempt_at"] == receipt["created_at"]

    skipped = [employer_bill.event_id, employer_payment.event_id]
    assert await pool.fetchval(  # dropped before the dedup insert: no database work at all
        "SELECT count(*) FROM processed_events WHERE event_id = ANY($1)", skipped) == 0
    assert await pool.fetchval(
        "SELECT count(*) FROM notifications WHERE source_event_id = ANY($1)", skipped) == 0
