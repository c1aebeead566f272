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
from aiokafka import AIOKafkaProducer, ConsumerRecord
from prometheus_client import Counter
from pydantic import ValidationError

from common import tracing
from common.kafka import make_consumer
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
            consumer = make_consumer(self.kafka, self.spec.group, self.spec.topics)
            try:
                await consumer.start()
                while True:
                    batches = await consumer.getmany(timeout_ms=500, max_records=200)
                    self.progress.last_poll = time.monotonic()
                    self.assigned = bool(consumer.assignment())
                    # Partitions are independent (order matters only within a key), so their
                    # batches run side by side, each on its own connection.
                    await asyncio.gather(*(self._process_batch(r) for r in batches.values()))
                    if batches:
                        await consumer.commit(
                            {tp: records[-1].offset + 1 for tp, records in batches.items()})
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("consumer %s failed; restarting", self.spec.group, exc_info=True)
                await asyncio.sleep(1)
            finally:
                self.assigned = False
                await consumer.stop()

    async def _process_batch(self, records: list[ConsumerRecord]) -> None:
        """One partition's batch in one transaction (one commit, not one per event); if any
        event fails, the batch rolls back and each event is retried on its own."""
        todo: list[tuple[ConsumerRecord, Envelope, Handler]] = []
        for record in records:
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

    async def _apply(self, handler: Handler, env: Envelope) -> None:
        async with self.pool.acquire() as conn, conn.transaction():
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


def group_specs(
    group: str,
    routes: dict[tuple[str, str], Handler],
    wants: Callable[[Envelope], bool] | None = None,
) -> list[ConsumerSpec]:
    """A service's (topic, event type) -> handler table as its consumer group; none if empty.

    An event type lives on one topic (its contract says which), so the group's handlers are
    keyed by type alone, as ConsumerSpec wants them.
    """
    if not routes:
        return []
    handlers = {event_type: handler for (_, event_type), handler in routes.items()}
    return [ConsumerSpec(group, sorted({topic for topic, _ in routes}), handlers, wants=wants)]


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
