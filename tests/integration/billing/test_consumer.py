"""Billing's consumer group on the real broker: membership's FamilyEnrolled becomes billing's
payer, members and VA, once, however often it is delivered."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from common.consumer import EventConsumer
from common.kafka import make_producer
from common.settings import KafkaSettings
from contracts import topics
from devstack.kafka import create_topics
from services.billing import worker
from tests.integration.billing.conftest import NOW, envelope, family, member, staged
from tests.integration.kafka_helpers import eventually

pytestmark = pytest.mark.integration


async def test_family_enrolled_through_kafka_is_projected_once(own_db, kafka) -> None:
    _, pool = own_db
    # Topics of this test's own: a billing process another test SIGKILLed can still hold the
    # session's "billing" group partitions until its session times out.
    kafka = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers,
                          topic_prefix=f"{kafka.topic_prefix}{uuid.uuid4().hex[:8]}.")
    await create_topics(kafka.bootstrap_servers, {
        kafka.topic(topics.MEMBERSHIP): 3, kafka.topic(topics.dead_letter("billing")): 1})
    [spec] = worker.consumers(lambda: NOW)
    producer = make_producer(kafka, "billing-test")
    await producer.start()
    consumer = EventConsumer(spec, pool, kafka, producer)
    task = asyncio.create_task(consumer.run())
    e = family(member("PBPU", 2), member("PBPU", 2, "child"), arrears=2)
    raw = envelope(e).model_dump_json().encode()
    try:
        for _ in range(3):  # a relay that published, crashed and published again, twice
            await producer.send_and_wait(kafka.topic(topics.MEMBERSHIP), raw,
                                         key=e.family_id.encode())
        await eventually(lambda: pool.fetchval(
            "SELECT count(*) = 2 FROM members WHERE family_id = $1", e.family_id), timeout=30)
        await asyncio.sleep(1)  # time enough for the copies to be (not) applied
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()
    async with pool.acquire() as conn:
        assert len(await staged(conn, "VirtualAccountOpened")) == 1
        assert await conn.fetchval("SELECT count(*) FROM bills WHERE payer_id = $1",
                                   e.family_id) == 2
        assert await conn.fetchval("SELECT count(*) FROM processed_events"
                                   " WHERE consumer = 'billing'") == 1
