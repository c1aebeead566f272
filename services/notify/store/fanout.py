"""What one fanned-out message leaves, written in one statement: the channel's notifications
(one per destination), why each other channel was skipped, and the inbox item. The consumer
writes this for every event, so one round trip instead of one per table and destination."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

# Each insert skips what this event already left (the unique keys): a redelivered event, or a
# second consumer, files nothing twice. The notifications trigger wakes the dispatchers.
_FILE = """
WITH skipped AS (
    INSERT INTO routing_skips (source_event_id, member_id, channel, reason)
    SELECT $1::uuid, $3::uuid, s.channel, s.reason
    FROM unnest($13::text[], $14::text[]) AS s(channel, reason)
    ON CONFLICT DO NOTHING
), queued AS (
    INSERT INTO notifications (notification_id, source_event_id, correlation_id, member_id,
        template, channel, destination, locale, params, next_attempt_at, segments, deadline)
    SELECT d.id, $1::uuid, $2::text, $3::uuid, $4::text, $5::text, d.destination, $6::text,
        $7::jsonb, COALESCE($8::timestamptz, now()), $9::smallint, $10::timestamptz
    FROM unnest($11::uuid[], $12::text[]) AS d(id, destination)
    ON CONFLICT (source_event_id, channel, destination) DO NOTHING
)
INSERT INTO inbox_items (item_id, member_id, source_event_id, template, title, body,
    created_at)
VALUES ($15, $3, $1, $4, $16, $17, $18)
ON CONFLICT (source_event_id, member_id) DO NOTHING
"""


@dataclass(frozen=True, slots=True)
class Filed:
    """One event's message to one member, as the fan-out decided it."""

    source_event_id: uuid.UUID
    correlation_id: str
    member_id: uuid.UUID
    template: str
    locale: str
    params: dict
    at: datetime  # the event's time: the inbox item's
    title: str  # the inbox copy
    body: str
    channel: str | None = None  # None: only the inbox
    destinations: Sequence[str] = ()
    not_before: datetime | None = None  # quiet hours; None: at once
    segments: int | None = None  # SMS: what the budget was charged
    deadline: datetime | None = None  # a code's expiry
    skipped: Sequence[tuple[str, str]] = ()  # (channel, reason)


async def file(conn: asyncpg.Connection, f: Filed) -> None:
    """Queue the message on its channel, record the skips and put the inbox copy."""
    await conn.execute(
        _FILE, f.source_event_id, f.correlation_id, f.member_id, f.template, f.channel,
        f.locale, f.params, f.not_before, f.segments, f.deadline,
        [uuid.uuid4() for _ in f.destinations], list(f.destinations),
        [c for c, _ in f.skipped], [r for _, r in f.skipped],
        uuid.uuid4(), f.title, f.body, f.at)
