"""The notification queue (rows are queued by store/fanout.py): claims, each try, receipts and
dead letters."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from services.notify.domain.delivery import Outcome

Row = asyncpg.Record


async def claim_due(conn: asyncpg.Connection, now: datetime, limit: int) -> list[Row]:
    """Lock up to `limit` due notifications; SKIP LOCKED lets dispatchers run side by side."""
    return await conn.fetch(
        "SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1"
        " ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED",
        now,
        limit,
    )


@dataclass(frozen=True, slots=True)
class Tried:
    """One try to record: its notification, the outcome, the error, the provider's id."""

    notification_id: uuid.UUID
    outcome: Outcome
    error: str | None
    provider_message_id: str | None


# One statement for a whole batch (a round trip each would be most of a dispatcher's time):
# each try is logged in delivery_attempts, its notification moves to the outcome, and a final
# failure becomes a dead letter (again, after a replay that failed).
_RECORD = """
WITH tried AS (
    SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::timestamptz[],
                         $5::text[], $6::text[], $7::bool[])
        AS t(notification_id, attempt, status, next_attempt_at, error, provider_message_id,
             final)
), logged AS (
    INSERT INTO delivery_attempts (notification_id, attempt, outcome, error)
    SELECT notification_id, attempt, CASE WHEN error IS NULL THEN 'sent' ELSE 'failed' END,
           error FROM tried
), dead AS (
    INSERT INTO dead_letters (notification_id, error)
    SELECT notification_id, coalesce(error, 'failed') FROM tried WHERE final
    ON CONFLICT (notification_id) DO UPDATE SET error = EXCLUDED.error, dead_at = now(),
        replayed_at = NULL
)
UPDATE notifications n SET status = t.status, attempts = t.attempt,
    next_attempt_at = COALESCE(t.next_attempt_at, n.next_attempt_at), last_error = t.error,
    sent_at = CASE WHEN t.status = 'sent' THEN now() END,
    provider_message_id = COALESCE(t.provider_message_id, n.provider_message_id),
    delivery_status = CASE WHEN t.status = 'sent' AND n.delivery_status = 'queued' THEN 'sent'
        WHEN t.final THEN 'failed' ELSE n.delivery_status END
FROM tried t WHERE n.notification_id = t.notification_id
"""


async def record_attempts(conn: asyncpg.Connection, tried: Sequence[Tried]) -> None:
    """Record a batch of tries in one round trip (see _RECORD)."""
    if tried:
        await conn.execute(
            _RECORD, [t.notification_id for t in tried], [t.outcome.attempt for t in tried],
            [t.outcome.status for t in tried], [t.outcome.next_attempt_at for t in tried],
            [t.error for t in tried], [t.provider_message_id for t in tried],
            [t.outcome.final for t in tried])


async def replay_dead_letters(conn: asyncpg.Connection, now: datetime) -> list[uuid.UUID]:
    """Queue every dead letter not yet replayed for exactly one more try; returns their ids."""
    rows = await conn.fetch(
        "UPDATE dead_letters SET replayed_at = $1 WHERE replayed_at IS NULL"
        " RETURNING notification_id", now)
    ids = [r["notification_id"] for r in rows]
    await conn.execute(
        "UPDATE notifications SET status = 'pending', next_attempt_at = $2,"
        " attempt_limit = attempts + 1, delivery_status = 'queued'"
        " WHERE notification_id = ANY($1::uuid[])", ids, now)
    return ids


async def for_receipt(conn: asyncpg.Connection, channel: str, message_id: str) -> Row | None:
    """The notification a provider's receipt names, by the provider's id or by our reference,
    locked so two receipts for one message apply one after the other."""
    try:
        reference = uuid.UUID(message_id)
    except ValueError:
        reference = None
    return await conn.fetchrow(
        "SELECT * FROM notifications WHERE channel = $1"
        " AND (provider_message_id = $2 OR notification_id = $3)"
        " ORDER BY created_at DESC LIMIT 1 FOR UPDATE",
        channel, message_id, reference)


async def set_delivery_status(conn: asyncpg.Connection, notification_id: uuid.UUID,
                              status: str, at: datetime) -> None:
    await conn.execute(
        "UPDATE notifications SET delivery_status = $2, delivered_at = CASE"
        " WHEN $2 IN ('delivered', 'read') THEN COALESCE(delivered_at, $3) ELSE delivered_at END"
        " WHERE notification_id = $1", notification_id, status, at)
