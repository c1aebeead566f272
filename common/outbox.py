"""Transactional outbox: events commit with the state change; a relay publishes them.

Writers call `add()` inside their transaction. A trigger NOTIFYs at commit, so the relay wakes at
once; a slow sweep covers lost notifications. The relay takes an advisory lock per batch, so two
relays never publish out of order, and marks rows only after Kafka acknowledged them (acks=all):
a crash between the two republishes, and consumers deduplicate by event id.
"""

from __future__ import annotations

import asyncio
import logging

import asyncpg
from aiokafka import AIOKafkaProducer
from prometheus_client import Counter, Gauge

from common import tracing
from common.faults import failpoint
from common.kafka import event_headers
from common.logs import current_correlation_id
from common.settings import KafkaSettings
from common.wakeable import WakeableLoop
from contracts import Envelope, Event, wrap

RELAY_LOCK = 0x6A6B6E01  # pg advisory lock id of "the relay of this database"
log = logging.getLogger(__name__)
PUBLISHED = Counter("outbox_published_total", "Events the relay published")
BACKLOG = Gauge("outbox_backlog", "Events committed but not yet published (a true count)")
OLDEST = Gauge("outbox_oldest_pending_age_seconds", "Age of the oldest unpublished event")


_INSERT = ("INSERT INTO outbox (event_id, topic, key, envelope, trace_context)"
           " VALUES ($1, $2, $3, $4, $5)")


async def add(conn: asyncpg.Connection, env: Envelope, topic: str) -> None:
    """Stage an event in the caller's transaction, with the trace it was staged in."""
    await conn.execute(
        _INSERT, env.event_id, topic, env.key, env.model_dump(mode="json"), tracing.traceparent()
    )


async def add_many(conn: asyncpg.Connection, staged: list[tuple[Envelope, str]]) -> None:
    """Stage several events in one round trip, in order."""
    trace_context = tracing.traceparent()
    await conn.executemany(
        _INSERT,
        [(env.event_id, topic, env.key, env.model_dump(mode="json"), trace_context)
         for env, topic in staged],
    )


async def add_event(conn: asyncpg.Connection, env: Envelope, event: Event) -> None:
    """Stage an event on its contract topic."""
    await add(conn, env, event.topic)


class Stager:
    """One producing service's staging: its name in every envelope, the work's correlation id."""

    def __init__(self, producer: str) -> None:
        self.producer = producer

    def envelope(self, event: Event, key: str) -> Envelope:
        """The event in this service's envelope, keyed (Kafka ordering) by `key`."""
        return wrap(event, producer=self.producer, key=key,
                    correlation_id=current_correlation_id())

    async def stage(self, conn: asyncpg.Connection, event: Event, key: str) -> None:
        """Put one event in the outbox, in the caller's transaction."""
        await add_event(conn, self.envelope(event, key), event)

    async def stage_many(self, conn: asyncpg.Connection, staged: list[tuple[Event, str]],
                         ) -> None:
        """Several events in one round trip, in order."""
        if staged:
            await add_many(conn, [(self.envelope(e, key), e.topic) for e, key in staged])


async def sample_backlog(pool: asyncpg.Pool) -> tuple[int, float]:
    """Count what is still to publish and how long the oldest has waited; set the gauges.

    A real count, not the relay's batch, so a backlog of a million rows reads as one; the
    partial index over unpublished rows keeps it cheap while the backlog is small.
    """
    row = await pool.fetchrow(
        "SELECT count(*) AS n,"
        " coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age"
        " FROM outbox WHERE published_at IS NULL"
    )
    BACKLOG.set(row["n"])
    OLDEST.set(row["age"])
    return row["n"], row["age"]


class Relay:
    """Publishes committed outbox rows in commit order, forever."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        dsn: str,
        producer: AIOKafkaProducer,
        kafka: KafkaSettings,
        *,
        batch: int = 500,
        sweep_seconds: float = 2.0,
    ) -> None:
        self.pool, self.producer, self.kafka, self.batch = pool, producer, kafka, batch
        self.loop = WakeableLoop(
            dsn, "outbox", self._step, sweep_seconds=sweep_seconds, name="outbox relay"
        )

    async def run(self) -> None:
        """Publish until cancelled."""
        await self.loop.run()

    async def close(self) -> None:
        await self.loop.close()

    async def _step(self) -> bool:
        return await self.publish_batch() == self.batch

    async def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were published."""
        async with self.pool.acquire() as conn, conn.transaction():
            if not await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", RELAY_LOCK):
                return 0  # another relay is publishing; it will see these rows
            rows = await conn.fetch(
                "SELECT id, topic, key, envelope::text AS envelope, envelope->>'type' AS type,"
                " trace_context FROM outbox"
                " WHERE published_at IS NULL ORDER BY id LIMIT $1",
                self.batch,
            )
            if not rows:
                return 0
            log.debug("relay publishing", extra={"fields": {"rows": len(rows),
                                                           "first": rows[0]["id"]}})
            failpoint("relay_before_publish")
            futures = []
            for r in rows:
                with tracing.resumed(r["trace_context"]):
                    futures.append(await self.producer.send(
                        self.kafka.topic(r["topic"]),
                        value=r["envelope"].encode(),
                        key=r["key"].encode(),
                        headers=[*event_headers(r["type"]),
                                 *tracing.kafka_headers(r["trace_context"])],
                    ))
            await asyncio.gather(*futures)
            failpoint("relay_after_publish")
            await conn.execute(
                "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
                [r["id"] for r in rows],
            )
        PUBLISHED.inc(len(rows))
        return len(rows)
