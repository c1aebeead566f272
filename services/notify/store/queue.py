"""The notification queue: rows to deliver, each try, receipts and dead letters."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.notify.domain.delivery import Outcome

Row = asyncpg.Record


async def queue(
    conn: asyncpg.Connection,
    *,
    source_event_id: uuid.UUID,
    correlation_id: str,
    member_id: uuid.UUID | None,
    template: str,
    channel: str,
    destination: str,
    locale: str,
    params: dict,
    not_before: datetime | None = None,
    segments: int | None = None,
    deadline: datetime | None = None,
) -> bool:
    """Queue one notification, first tried at `not_before` (quiet hours) or at once; an event
    already queued to this destination on this channel queues nothing (False)."""
    return bool(await conn.fetchval(
        "INSERT INTO notifications (notification_id, source_event_id, correlation_id, member_id,"
        " template, channel, destination, locale, params, next_attempt_at, segments, deadline)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, now()), $11, $12)"
        " ON CONFLICT (source_event_id, channel, destination) DO NOTHING RETURNING true",
        uuid.uuid4(), source_event_id, correlation_id, member_id, template, channel,
        destination, locale, params, not_before, segments, deadline,
    ))


async def claim_due(conn: asyncpg.Connection, now: datetime, limit: int) -> list[Row]:
    """Lock up to `limit` due notifications; SKIP LOCKED lets dispatchers run side by side."""
    return await conn.fetch(
        "SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1"
        " ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED",
        now,
        limit,
    )


async def record_attempt(
    conn: asyncpg.Connection, notification_id: uuid.UUID, o: Outcome, error: str | None,
    provider_message_id: str | None,
) -> None:
    """Log one try in delivery_attempts and move the notification to its outcome; a final
    failure becomes a dead letter (again, after a replay that failed)."""
    await conn.execute(
        "INSERT INTO delivery_attempts (notification_id, attempt, outcome, error)"
        " VALUES ($1, $2, $3, $4)",
        notification_id, o.attempt, "sent" if error is None else "failed", error,
    )
    await conn.execute(
        "UPDATE notifications SET status = $2, attempts = $3,"
        " next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5,"
        " sent_at = CASE WHEN $2 = 'sent' THEN now() END,"
        " provider_message_id = COALESCE($6, provider_message_id),"
        " delivery_status = CASE WHEN $2 = 'sent' AND delivery_status = 'queued' THEN 'sent'"
        "   WHEN $7 THEN 'failed' ELSE delivery_status END"
        " WHERE notification_id = $1",
        notification_id, o.status, o.attempt, o.next_attempt_at, error, provider_message_id,
        o.final,
    )
    if o.final:
        await conn.execute(
            "INSERT INTO dead_letters (notification_id, error) VALUES ($1, $2)"
            " ON CONFLICT (notification_id) DO UPDATE SET error = EXCLUDED.error,"
            " dead_at = now(), replayed_at = NULL",
            notification_id, error or "failed",
        )


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


async def record_skips(conn: asyncpg.Connection, source_event_id: uuid.UUID,
                       member_id: uuid.UUID,
                       skipped: tuple[tuple[str, str], ...]) -> None:
    """Why each channel was left out of a message's plan (kept for ops and for the member)."""
    if skipped:
        await conn.executemany(
            "INSERT INTO routing_skips (source_event_id, member_id, channel, reason)"
            " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            [(source_event_id, member_id, c, r) for c, r in skipped])
