"""Idempotent event consumers on a plain aiokafka consumer group.

Each event's effect and its id commit in one PostgreSQL transaction, so a redelivery (after a
crash, a rebalance, or a relay that published twice) finds the id and does nothing. A handler
that keeps failing is retried with backoff, then the event goes to the group's dead-letter topic
with the error, and the partition moves on. Offsets are committed only after the effect.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, ConsumerRecord
from aiokafka.structs import TopicPartition
from prometheus_client import Counter
from pydantic import ValidationError

from common import tracing
from common.kafka import event_type, make_consumer
from common.logs import correlated
from common.redaction import describe
from common.settings import KafkaSettings
from contracts import Envelope, Event, parse_event, topics

log = logging.getLogger(__name__)

Handler = Callable[[asyncpg.Connection, Envelope, Event], Awaitable[None]]

HANDLED = Counter("events_handled_total", "Events whose effect committed", ["consumer", "type"])
DUPLICATES = Counter("events_duplicate_total", "Redelivered events skipped", ["consumer"])
DEAD = Counter("events_dead_lettered_total", "Events sent to the dead-letter topic", ["consumer"])


@dataclass
class ConsumerSpec:
    """A consumer group: its topics and a handler per event type (others are ignored)."""

    group: str
    topics: list[str]
    handlers: dict[str, Handler]
    max_attempts: int = 5
    # Cheap early filter on the envelope (before any database work), e.g. only some statuses.
    wants: Callable[[Envelope], bool] | None = None
    # Commit effects without waiting for the disk (synchronous_commit off), for a consumer whose
    # latency is the point (notify's fan-out). Nothing is lost: an offset is committed to Kafka
    # only after a synchronous commit has flushed every effect before it, so a database crash
    # redelivers what it lost and the event ids keep the rest from applying twice.
    async_commit: bool = False


@dataclass
class Progress:
    """What liveness checks read: when the loop last polled, and what it last finished."""

    last_poll: float = field(default_factory=time.monotonic)
    handled: int = 0


class EventConsumer:
    """Runs one ConsumerSpec until cancelled."""

    def __init__(
        self,
        spec: ConsumerSpec,
        pool: asyncpg.Pool,
        kafka: KafkaSettings,
        dead_letters: AIOKafkaProducer,
    ) -> None:
        self.spec, self.pool, self.kafka, self.dead_letters = spec, pool, kafka, dead_letters
        self.progress = Progress()
        self.assigned = False

    async def run(self) -> None:
        """Consume, restarting the client after any failure outside a handler."""
        while True:
            offsets = _Offsets(self.kafka.commit_interval_ms / 1000,
                               flush_barrier if self.spec.async_commit else None, self.pool)
            consumer = make_consumer(self.kafka, self.spec.group, self.spec.topics,
                                     listener=offsets)
            offsets.consumer = consumer
            try:
                await consumer.start()
                while True:
                    batches = await consumer.getmany(timeout_ms=500, max_records=200)
                    self.progress.last_poll = time.monotonic()
                    self.assigned = bool(consumer.assignment())
                    # One transaction for the whole poll, each partition's records in order: at a
                    # steady rate a poll holds a record or two per partition, and a transaction
                    # (and a pool connection) per partition cost more than the work.
                    await self._process_batch([r for rs in batches.values() for r in rs])
                    offsets.finished(batches)
                    offsets.commit_when_due()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("consumer %s failed; restarting", self.spec.group, exc_info=True)
                await asyncio.sleep(1)
            finally:
                self.assigned = False
                await offsets.commit_quietly()
                await consumer.stop()

    async def _process_batch(self, records: list[ConsumerRecord]) -> None:
        """One poll's records in one transaction (one commit, not one per event); if any event
        fails, the batch rolls back and each event is retried on its own."""
        todo: list[tuple[ConsumerRecord, Envelope, Handler]] = []
        for record in records:
            declared = event_type(record)
            if declared is not None and declared not in self.spec.handlers:
                continue  # not ours, known from the header without parsing the envelope
            try:
                env = Envelope.model_validate_json(record.value)
            except ValidationError as exc:
                await self._dead_letter(record, f"malformed envelope: {describe(exc)}")
                continue
            handler = self.spec.handlers.get(env.type)
            if handler is not None and (self.spec.wants is None or self.spec.wants(env)):
                todo.append((record, env, handler))
        if not todo:
            return
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                await self._durability(conn)
                for record, env, handler in todo:
                    with correlated(env.correlation_id), self._traced(record, env):
                        await self._apply_in(conn, handler, env)
        except Exception:
            for record, env, handler in todo:
                await self._process(record, env, handler)
            return
        for _, env, _ in todo:
            HANDLED.labels(self.spec.group, env.type).inc()
        self.progress.handled += len(todo)

    async def _process(self, record: ConsumerRecord, env: Envelope, handler: Handler) -> None:
        with correlated(env.correlation_id):
            error = ""
            for attempt in range(1, self.spec.max_attempts + 1):
                try:
                    with self._traced(record, env):
                        await self._apply(handler, env)
                    return
                except Exception as exc:  # retried, then dead-lettered: never dropped silently
                    error = describe(exc)  # never the driver's text: it quotes values
                    log.warning(
                        "handler failed",
                        extra={
                            "fields": {
                                "event_id": str(env.event_id),
                                "type": env.type,
                                "attempt": attempt,
                            }
                        },
                        exc_info=True,
                    )
                    await asyncio.sleep(min(0.2 * 2**attempt, 5))
            await self._dead_letter(record, error)

    def _traced(self, record: ConsumerRecord, env: Envelope) -> AbstractContextManager[object]:
        return tracing.consuming(record, self.spec.group, env)

    async def _durability(self, conn: asyncpg.Connection) -> None:
        if self.spec.async_commit:
            await conn.execute("SET LOCAL synchronous_commit = off")

    async def _apply(self, handler: Handler, env: Envelope) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
            await self._durability(conn)
            await self._apply_in(conn, handler, env)
        HANDLED.labels(self.spec.group, env.type).inc()
        self.progress.handled += 1

    async def _apply_in(self, conn: asyncpg.Connection, handler: Handler, env: Envelope) -> None:
        """The effect and the event id, in the caller's transaction; a duplicate does nothing."""
        event = parse_event(env)
        first = await conn.fetchval(
            "INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2)"
            " ON CONFLICT DO NOTHING RETURNING true",
            self.spec.group,
            env.event_id,
        )
        if not first:
            DUPLICATES.labels(self.spec.group).inc()
            return
        await handler(conn, env, event)

    async def _dead_letter(self, record: ConsumerRecord, error: str) -> None:
        DEAD.labels(self.spec.group).inc()
        letter = {
            "consumer": self.spec.group,
            "topic": record.topic,
            "partition": record.partition,
            "offset": record.offset,
            "error": error[:2000],
            "value": record.value.decode("utf-8", "replace"),
        }
        await self.dead_letters.send_and_wait(
            self.kafka.topic(topics.dead_letter(self.spec.group)),
            json.dumps(letter).encode(),
            key=record.key,
        )
        log.error(
            "event dead-lettered",
            extra={"fields": {"topic": record.topic, "offset": record.offset}},
        )


async def flush_barrier(pool: asyncpg.Pool) -> None:
    """Return once every transaction committed before the call is on disk: a synchronous commit
    of a transaction that wrote WAL (here a transactional logical-decoding message, which
    touches no table) flushes the WAL up to its commit record, past every asynchronous commit
    before it. (A transaction that wrote no WAL is not flushed at commit, even with an xid.)"""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SELECT pg_logical_emit_message(true, 'jkn.flush-barrier', '')")


class _Offsets(ConsumerRebalanceListener):
    """The offsets a consumer finished, committed at most every `interval` seconds, and at once
    for partitions taken away (their next owner starts there) or when the consumer stops.

    The periodic commit runs beside the poll loop, so neither the broker's answer nor the
    `durable` barrier (a disk flush, for an async_commit consumer) holds the next poll."""

    def __init__(self, interval: float,
                 durable: Callable[[asyncpg.Pool], Awaitable[None]] | None,
                 pool: asyncpg.Pool) -> None:
        self.interval, self.durable, self.pool = interval, durable, pool
        self.consumer: AIOKafkaConsumer | None = None
        self.pending: dict[TopicPartition, int] = {}
        self.last = time.monotonic()
        self.in_flight: asyncio.Task | None = None

    def finished(self, batches: dict[TopicPartition, list[ConsumerRecord]]) -> None:
        for tp, records in batches.items():
            self.pending[tp] = records[-1].offset + 1

    def commit_when_due(self) -> None:
        if (self.pending and self.in_flight is None
                and time.monotonic() - self.last >= self.interval):
            self.in_flight = asyncio.create_task(self._commit_in_background(dict(self.pending)))

    async def _commit_in_background(self, offsets: dict[TopicPartition, int]) -> None:
        try:
            await self._commit(offsets)
        except Exception:  # the next commit carries these offsets too
            log.warning("offset commit failed; retried with the next", exc_info=True)
        finally:
            self.last, self.in_flight = time.monotonic(), None

    async def commit_quietly(self) -> None:
        """On the way out: what is not committed is redelivered and found already done."""
        if self.in_flight is not None:
            await asyncio.gather(self.in_flight, return_exceptions=True)
        if self.pending and self.consumer is not None:
            try:
                await self._commit(dict(self.pending))
            except Exception:
                log.info("consumer stopped before committing its last offsets", exc_info=True)

    async def _commit(self, offsets: dict[TopicPartition, int]) -> None:
        assert self.consumer is not None
        if self.durable is not None:
            await self.durable(self.pool)
        offsets = {tp: o for tp, o in offsets.items() if tp in self.consumer.assignment()}
        if offsets:
            await self.consumer.commit(offsets)
        for tp, offset in offsets.items():
            if self.pending.get(tp) == offset:
                del self.pending[tp]

    async def on_partitions_revoked(self, revoked: set[TopicPartition]) -> None:
        if self.in_flight is not None:
            await asyncio.gather(self.in_flight, return_exceptions=True)
        mine = {tp: o for tp, o in self.pending.items() if tp in revoked}
        if mine:
            try:
                await self._commit(mine)
            except Exception:
                log.info("offsets of revoked partitions not committed", exc_info=True)
        for tp in revoked:
            self.pending.pop(tp, None)

    async def on_partitions_assigned(self, assigned: set[TopicPartition]) -> None:
        return None


def group_specs(
    group: str,
    routes: dict[tuple[str, str], Handler],
    wants: Callable[[Envelope], bool] | None = None,
    *,
    async_commit: bool = False,
) -> list[ConsumerSpec]:
    """A service's (topic, event type) -> handler table as its consumer group; none if empty.

    An event type lives on one topic (its contract says which), so the group's handlers are
    keyed by type alone, as ConsumerSpec wants them.
    """
    if not routes:
        return []
    handlers = {event_type: handler for (_, event_type), handler in routes.items()}
    return [ConsumerSpec(group, sorted({topic for topic, _ in routes}), handlers, wants=wants,
                         async_commit=async_commit)]


def with_clock(
    handler: Callable[..., Awaitable[None]], now: Callable[[], datetime]
) -> Handler:
    """A (conn, env, e, now) handler as the consumer calls it, `now` read at call time (tests
    move the service's clock after it is built)."""

    async def handle(conn: asyncpg.Connection, env: Envelope, event: Event) -> None:
        await handler(conn, env, event, now())

    handle.__name__ = handler.__name__
    return handle


__all__ = ["ConsumerSpec", "EventConsumer", "Handler", "group_specs", "with_clock"]
