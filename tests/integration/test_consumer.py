"""The idempotent consumer on the real broker and database."""

from __future__ import annotations

import asyncio
import json
import uuid

import asyncpg
import pytest
from aiokafka.admin import AIOKafkaAdminClient

from common.consumer import ConsumerSpec, EventConsumer, flush_barrier
from common.dlq import replay
from common.kafka import event_headers, make_producer
from contracts import events, topics, wrap
from devstack.kafka import create_topics
from tests.integration.kafka_helpers import eventually, read
from tests.integration.test_outbox import facility

pytestmark = pytest.mark.integration

NIK = "1871091203840001"  # a demo participant's NIK, as a driver error would quote it


async def effects(pool, consumer: str, note: str | None = None) -> list:
    return await pool.fetch(
        "SELECT * FROM effects WHERE consumer = $1 AND ($2::text IS NULL OR note = $2)",
        consumer, note)


async def consuming(db, kafka, topic: str, handlers, max_attempts: int = 5,
                    async_commit: bool = False):
    """Run a consumer group on `topic`; returns (group, stop)."""
    _, pool = db
    group = f"g{uuid.uuid4().hex[:6]}"
    await create_topics(kafka.bootstrap_servers, {kafka.topic(topics.dead_letter(group)): 1})
    producer = make_producer(kafka, group)
    await producer.start()
    consumer = EventConsumer(ConsumerSpec(group, [topic], handlers, max_attempts,
                                          async_commit=async_commit), pool, kafka, producer)
    task = asyncio.create_task(consumer.run())

    async def stop():
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()

    return group, stop


async def send(kafka, topic: str, values: list[bytes], key: bytes = b"k",
               headers: list[tuple[str, bytes]] | None = None) -> None:
    producer = make_producer(kafka, "test-sender")
    await producer.start()
    try:
        for v in values:
            await producer.send_and_wait(kafka.topic(topic), v, key=key, headers=headers)
    finally:
        await producer.stop()


def record_effect(group_note: str):
    async def handler(conn, env, event):
        await conn.execute("INSERT INTO effects VALUES ($1, $2, $3)", env.event_id,
                           group_note, event.code)
    return handler


async def test_a_redelivered_event_takes_effect_once(db, kafka, topic):
    _, pool = db
    note = uuid.uuid4().hex
    handlers = {events.FacilityRegistered.type: record_effect(note)}
    group, stop = await consuming(db, kafka, topic, handlers)
    try:
        env = wrap(facility(1), producer="t", key="k", correlation_id="c")
        other = wrap(facility(2), producer="t", key="k", correlation_id="c")
        raw = env.model_dump_json().encode()
        await send(kafka, topic, [raw, raw, raw, other.model_dump_json().encode()])
        rows = await eventually(lambda: _count_is(pool, note, 2))
    finally:
        await stop()
    assert sorted(r["event_id"] for r in rows) == sorted([env.event_id, other.event_id])


async def _letters_are(kafka, group: str, n: int):
    got = await read(kafka.bootstrap_servers, kafka.topic(topics.dead_letter(group)), n,
                     timeout=2)
    return len(got) >= n


async def _count_is(pool, note: str, n: int):
    rows = await effects(pool, note)
    return rows if len(rows) >= n else None


async def test_a_failing_event_is_retried_then_dead_lettered_and_the_rest_flow(db, kafka, topic):
    _, pool = db
    note = uuid.uuid4().hex
    calls = {"n": 0}
    good = record_effect(note)
    broken = {"yes": True}

    async def flaky(conn, env, event):
        if event.code == facility(66).code and broken["yes"]:
            calls["n"] += 1
            # A driver error quotes the row's values: the dead letter must not carry them.
            raise asyncpg.UniqueViolationError(f"Key (nik)=({NIK}) already exists")
        await good(conn, env, event)

    group, stop = await consuming(db, kafka, topic, {events.FacilityRegistered.type: flaky},
                                  max_attempts=2)
    try:
        poison = wrap(facility(66), producer="t", key="k", correlation_id="c")
        after = wrap(facility(67), producer="t", key="k", correlation_id="c")
        await send(kafka, topic, [b"{not json", poison.model_dump_json().encode(),
                                  after.model_dump_json().encode()])
        await eventually(lambda: _count_is(pool, note, 1))
        letters = await read(kafka.bootstrap_servers, kafka.topic(topics.dead_letter(group)), 2)
        # Once the handler is fixed, replaying the dead letters applies what failed, once.
        broken["yes"] = False
        assert await replay(kafka, group) == 2
        rows = await eventually(lambda: _count_is(pool, note, 2))
        # The malformed one failed again and is a new letter; the fixed one is gone for good.
        await eventually(lambda: _letters_are(kafka, group, 3))
        assert await replay(kafka, group) == 1
    finally:
        await stop()
    assert calls["n"] == 3  # once in its batch, then max_attempts (2) on its own
    assert [json.loads(x["value"]).get("event_id") if x["value"].startswith("{\"") else None
            for x in letters] == [None, str(poison.event_id)]
    assert "malformed" in letters[0]["error"]
    assert "UniqueViolationError" in letters[1]["error"] and NIK not in letters[1]["error"]
    assert sorted(r["event_id"] for r in rows) == sorted([poison.event_id, after.event_id])


async def test_a_record_whose_type_header_is_not_handled_is_passed_over_unparsed(db, kafka,
                                                                                  topic):
    """The header says what a record is: a consumer skips other types without reading the body
    (here not even JSON, so parsing it would dead-letter it)."""
    _, pool = db
    note = uuid.uuid4().hex
    group, stop = await consuming(db, kafka, topic,
                                  {events.FacilityRegistered.type: record_effect(note)})
    try:
        await send(kafka, topic, [b"{not json"], headers=event_headers("SomethingElse"))
        env = wrap(facility(5), producer="t", key="k", correlation_id="c")
        await send(kafka, topic, [env.model_dump_json().encode()],
                   headers=event_headers(env.type))
        rows = await eventually(lambda: _count_is(pool, note, 1))
        assert not await _letters_are(kafka, group, 1)
    finally:
        await stop()
    assert [r["event_id"] for r in rows] == [env.event_id]


async def test_the_flush_barrier_puts_every_earlier_async_commit_on_disk(db):
    """What an async_commit consumer waits for before it commits offsets to Kafka."""
    _, pool = db
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL synchronous_commit = off")
            await conn.execute("INSERT INTO effects VALUES ($1, 'flush', 'x')", uuid.uuid4())
        committed_up_to = await conn.fetchval("SELECT pg_current_wal_insert_lsn()")
    await flush_barrier(pool)
    assert await pool.fetchval("SELECT pg_current_wal_flush_lsn()") >= committed_up_to


async def _committed(kafka, group: str, topic: str) -> int:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(kafka.topic(group))
    finally:
        await admin.close()
    return sum(m.offset for tp, m in offsets.items() if tp.topic == kafka.topic(topic))


async def _eventually_committed(kafka, group: str, topic: str, n: int) -> None:
    """Wait until the group's committed offsets on `topic` add up to `n`."""
    async def committed():
        return await _committed(kafka, group, topic) >= n
    await eventually(committed)


async def test_an_async_commit_consumer_applies_once_and_commits_its_offsets(db, kafka, topic):
    _, pool = db
    note = uuid.uuid4().hex
    group, stop = await consuming(db, kafka, topic,
                                  {events.FacilityRegistered.type: record_effect(note)},
                                  async_commit=True)
    try:
        envs = [wrap(facility(i), producer="t", key="k", correlation_id="c") for i in range(3)]
        raw = [e.model_dump_json().encode() for e in envs]
        await send(kafka, topic, [*raw, raw[0]])
        rows = await eventually(lambda: _count_is(pool, note, 3))
        await _eventually_committed(kafka, group, topic, 4)
    finally:
        await stop()
    assert sorted(r["event_id"] for r in rows) == sorted(e.event_id for e in envs)


async def test_an_async_commit_consumer_flushes_before_every_offset_commit(db, kafka, topic,
                                                                           monkeypatch):
    """Offsets reach Kafka only after the barrier: a commit ahead of it could name events
    whose asynchronous effects a database crash then loses, and they would never come back.
    Both calls are spied on (the real barrier and the real broker commit still run)."""
    import aiokafka

    from common import consumer as consumer_module

    calls: list[str] = []
    real_barrier, real_commit = consumer_module.flush_barrier, aiokafka.AIOKafkaConsumer.commit

    async def barrier(pool):
        await real_barrier(pool)
        calls.append("barrier")

    async def commit(self, offsets=None):
        calls.append("commit")
        return await real_commit(self, offsets)

    monkeypatch.setattr(consumer_module, "flush_barrier", barrier)
    monkeypatch.setattr(aiokafka.AIOKafkaConsumer, "commit", commit)
    _, pool = db
    note = uuid.uuid4().hex
    group, stop = await consuming(db, kafka, topic,
                                  {events.FacilityRegistered.type: record_effect(note)},
                                  async_commit=True)
    try:
        for batch in range(3):  # three polls, so more than one periodic commit
            envs = [wrap(facility(i), producer="t", key="k", correlation_id="c")
                    for i in range(batch * 2, batch * 2 + 2)]
            await send(kafka, topic, [e.model_dump_json().encode() for e in envs])
            await eventually(lambda n=batch * 2 + 2: _count_is(pool, note, n))
        await _eventually_committed(kafka, group, topic, 6)
    finally:
        await stop()
    assert "commit" in calls
    assert all(calls[i - 1] == "barrier" for i, c in enumerate(calls) if c == "commit"), calls
