"""Consumer lag and the outbox backlog as /metrics reads them, on the real broker and database."""

from __future__ import annotations

import uuid

import pytest
from prometheus_client import REGISTRY

from common import outbox
from common.lag import LagSampler
from contracts import events, wrap
from tests.integration.kafka_helpers import eventually
from tests.integration.test_consumer import _count_is, consuming, record_effect, send
from tests.integration.test_outbox import facility, run_relays, stage

pytestmark = pytest.mark.integration


def gauge(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


async def test_lag_counts_what_a_stopped_group_has_not_committed(db, kafka, topic):
    _, pool = db
    note = uuid.uuid4().hex
    handlers = {events.FacilityRegistered.type: record_effect(note)}
    group, stop = await consuming(db, kafka, topic, handlers)
    sampler = LagSampler(kafka, {group: [topic]})
    running = True
    try:
        first = wrap(facility(0), producer="t", key="k0", correlation_id="c")
        await send(kafka, topic, [first.model_dump_json().encode()], key=b"k0")
        await eventually(lambda: _count_is(pool, note, 1))
        await eventually(lambda: _lag_is(sampler, 0))  # the group committed what it handled
        running = False
        await stop()  # the consumer is gone: the next events wait, and the lag must show them
        values = [wrap(facility(i), producer="t", key=f"k{i}", correlation_id="c")
                  .model_dump_json().encode() for i in range(7)]
        for i, v in enumerate(values):  # several keys, so several partitions
            await send(kafka, topic, [v], key=f"k{i}".encode())
        lag = await sampler.sample()
    finally:
        if running:
            await stop()
        await sampler.close()
    assert sum(lag.values()) == 7
    assert len({p for (_, _, p) in lag}) == 3  # every partition is reported, lagging or not
    per_partition = [gauge("kafka_consumer_lag", group=group, topic=topic, partition=str(p))
                     for p in range(3)]
    assert sum(per_partition) == 7


async def _lag_is(sampler: LagSampler, want: int):
    return sum((await sampler.sample()).values()) == want


async def test_backlog_is_the_true_count_beyond_a_batch(db, kafka, topic):
    _, pool = db
    before, _ = await outbox.sample_backlog(pool)
    await stage(pool, topic, [f"m-{i}" for i in range(700)])  # more than a relay batch (500)
    count, age = await outbox.sample_backlog(pool)
    assert count - before == 700
    assert gauge("outbox_backlog") == count
    assert age > 0 and gauge("outbox_oldest_pending_age_seconds") == age
    stop = await run_relays(db, kafka, 1)
    try:
        await eventually(lambda: _backlog_is(pool, 0))
    finally:
        await stop()
    assert gauge("outbox_oldest_pending_age_seconds") == 0


async def _backlog_is(pool, want: int):
    return (await outbox.sample_backlog(pool))[0] == want
