"""The outbox relay on the real broker and database."""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict

import pytest
from aiokafka import AIOKafkaConsumer

from common import outbox
from common.kafka import event_type, make_producer
from contracts import events, wrap
from tests.integration.kafka_helpers import read

pytestmark = pytest.mark.integration


def facility(n: int) -> events.FacilityRegistered:
    return events.FacilityRegistered(
        code=f"T{n:07d}", facility_type="fktp", kind="puskesmas", name=f"Test {n}",
        address="Jl. Uji", regency="Kota Bandar Lampung", district="Uji", lat=-5.4, lon=105.2,
        capacity=100, accepts_new_members=True, active=True)


async def stage(pool, topic: str, keys: list[str], rollback: bool = False) -> list[str]:
    """Stage one event per key in one transaction; returns their event ids."""
    ids = []

    class Rollback(Exception):
        pass

    try:
        async with pool.acquire() as conn, conn.transaction():
            for i, key in enumerate(keys):
                env = wrap(facility(i), producer="test", key=key, correlation_id="it")
                await outbox.add(conn, env, topic)
                ids.append(str(env.event_id))
            if rollback:
                raise Rollback
    except Rollback:
        pass
    return ids


async def run_relays(db, kafka, n: int, **kw):
    dsn, pool = db
    producers = [make_producer(kafka, f"relay-{i}") for i in range(n)]
    for p in producers:
        await p.start()
    relays = [outbox.Relay(pool, dsn, p, kafka, **kw) for p in producers]
    tasks = [asyncio.create_task(r.run()) for r in relays]

    async def stop():
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for r, p in zip(relays, producers, strict=True):
            await r.close()
            await p.stop()

    return stop


async def test_committed_events_publish_in_key_order_and_rolled_back_ones_never(db, kafka, topic):
    _, pool = db
    keys = [f"member-{i % 5}" for i in range(50)]
    committed = await stage(pool, topic, keys)
    rolled_back = await stage(pool, topic, ["member-x"] * 5, rollback=True)
    stop = await run_relays(db, kafka, 1)
    try:
        got = await read(kafka.bootstrap_servers, kafka.topic(topic), 50, settle=1.0)
    finally:
        await stop()
    ids = [g["event_id"] for g in got]
    assert sorted(ids) == sorted(committed)
    assert not set(ids) & set(rolled_back)
    per_key: dict[str, list[str]] = defaultdict(list)
    for g in got:
        per_key[g["key"]].append(g["event_id"])
    for key, seen in per_key.items():
        assert seen == [i for i, k in zip(committed, keys, strict=True) if k == key]


async def test_two_relays_publish_each_event_exactly_once(db, kafka, topic):
    _, pool = db
    stop = await run_relays(db, kafka, 2, batch=20)
    try:
        staged = []
        for _ in range(10):
            staged += await stage(pool, topic, [f"m-{i}" for i in range(30)])
        got = await read(kafka.bootstrap_servers, kafka.topic(topic), 300, settle=2.0)
    finally:
        await stop()
    assert len(got) == 300
    assert sorted(g["event_id"] for g in got) == sorted(staged)


async def test_relay_wakes_on_commit_not_on_its_sweep(db, kafka, topic):
    # With a 60 s sweep, only the NOTIFY at commit can deliver within the 10 s read window.
    _, pool = db
    stop = await run_relays(db, kafka, 1, sweep_seconds=60)
    try:
        await asyncio.sleep(0.5)  # the relay is idle, waiting
        staged = await stage(pool, topic, ["k"])
        got = await read(kafka.bootstrap_servers, kafka.topic(topic), 1, timeout=10)
    finally:
        await stop()
    assert [g["event_id"] for g in got] == staged


async def test_unpublished_rows_wait_for_a_broker_and_nothing_is_lost(db, kafka, topic):
    # Rows staged before any relay runs are published once one starts (a restart's view).
    _, pool = db
    staged = await stage(pool, topic, [str(uuid.uuid4()) for _ in range(20)])
    stop = await run_relays(db, kafka, 1)
    try:
        got = await read(kafka.bootstrap_servers, kafka.topic(topic), 20, settle=1.0)
    finally:
        await stop()
    assert sorted(g["event_id"] for g in got) == sorted(staged)


async def test_published_events_carry_their_type_in_a_header(db, kafka, topic):
    """Consumers skip what they do not handle by this header, without parsing the envelope."""
    _, pool = db
    await stage(pool, topic, ["member-1"])
    stop = await run_relays(db, kafka, 1)
    consumer = AIOKafkaConsumer(kafka.topic(topic), bootstrap_servers=kafka.bootstrap_servers,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    try:
        record = await asyncio.wait_for(consumer.getone(), 20)
    finally:
        await consumer.stop()
        await stop()
    assert event_type(record) == events.FacilityRegistered.type
