"""Integration events into the outbox, in the caller's transaction (the relay publishes them)."""

from __future__ import annotations

import asyncpg

from common import outbox
from common.logs import current_correlation_id
from contracts import Envelope, events, wrap

PRODUCER = "membership"


def envelope(event: events.Event, key: str) -> Envelope:
    """The event in membership's envelope, keyed by member or family (Kafka ordering)."""
    return wrap(event, producer=PRODUCER, key=key, correlation_id=current_correlation_id())


async def stage(conn: asyncpg.Connection, event: events.Event, key: str) -> None:
    """Put an integration event in the outbox."""
    await outbox.add_event(conn, envelope(event, key), event)


async def stage_many(conn: asyncpg.Connection, staged: list[tuple[events.Event, str]]) -> None:
    """Several events in one round trip."""
    await outbox.add_many(conn, [(envelope(e, key), e.topic) for e, key in staged])
