"""Integration events into the outbox, in the caller's transaction (the relay publishes them)."""

from __future__ import annotations

import uuid

import asyncpg

from common import outbox
from common.logs import current_correlation_id
from contracts import Envelope, events, wrap

PRODUCER = "membership"


def envelope(event: events.Event, key: str, event_id: uuid.UUID | None = None) -> Envelope:
    """The event in membership's envelope, keyed by member or family (Kafka ordering)."""
    env = wrap(event, producer=PRODUCER, key=key, correlation_id=current_correlation_id())
    return env if event_id is None else env.model_copy(update={"event_id": event_id})


async def stage(conn: asyncpg.Connection, event: events.Event, key: str, *,
                event_id: uuid.UUID | None = None) -> None:
    """Put an integration event in the outbox; `event_id` when the event's id is fixed (a
    family's one enrolment), a fresh one otherwise."""
    await outbox.add_event(conn, envelope(event, key, event_id), event)


async def stage_many(conn: asyncpg.Connection, staged: list[tuple[events.Event, str]]) -> None:
    """Several events in one round trip."""
    await outbox.add_many(conn, [(envelope(e, key), e.topic) for e, key in staged])
