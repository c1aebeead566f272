"""Notify's SQL, in one place: the notification queue, delivery attempts and the address book.

Every function runs on the caller's connection and inside the caller's transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.notify.domain.delivery import Outcome
from services.notify.domain.recipients import Contact

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
) -> None:
    """Queue one notification, first tried at `not_before` (quiet hours) or at once; an event
    already queued on this channel queues nothing."""
    await conn.execute(
        "INSERT INTO notifications (notification_id, source_event_id, correlation_id, member_id,"
        " template, channel, destination, locale, params, next_attempt_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, now()))"
        " ON CONFLICT (source_event_id, channel) DO NOTHING",
        uuid.uuid4(),
        source_event_id,
        correlation_id,
        member_id,
        template,
        channel,
        destination,
        locale,
        params,
        not_before,
    )


async def contact(conn: asyncpg.Connection, member_id: uuid.UUID) -> Contact | None:
    """Where to reach a member, if notify has heard of them."""
    row = await conn.fetchrow(
        "SELECT email, phone, locale FROM contacts WHERE member_id = $1", member_id
    )
    return None if row is None else Contact(row["email"], row["phone"], row["locale"])


async def remember_contact(
    conn: asyncpg.Connection, member_id: uuid.UUID, c: Contact, as_of: datetime
) -> None:
    """Keep the newest contact per member: an older event arriving late changes nothing."""
    await conn.execute(
        "INSERT INTO contacts (member_id, email, phone, locale, updated_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id) DO UPDATE SET"
        " email = EXCLUDED.email, phone = EXCLUDED.phone, locale = EXCLUDED.locale,"
        " updated_at = EXCLUDED.updated_at WHERE contacts.updated_at <= EXCLUDED.updated_at",
        member_id,
        c.email,
        c.phone,
        c.locale,
        as_of,
    )


async def claim_due(conn: asyncpg.Connection, now: datetime, limit: int) -> list[Row]:
    """Lock up to `limit` due notifications; SKIP LOCKED lets dispatchers run side by side."""
    return await conn.fetch(
        "SELECT * FROM notifications WHERE status = 'pending' AND next_attempt_at <= $1"
        " ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED",
        now,
        limit,
    )


async def record_attempt(
    conn: asyncpg.Connection, notification_id: uuid.UUID, o: Outcome, error: str | None
) -> None:
    """Log one try in delivery_attempts and move the notification to its outcome."""
    await conn.execute(
        "INSERT INTO delivery_attempts (notification_id, attempt, outcome, error)"
        " VALUES ($1, $2, $3, $4)",
        notification_id,
        o.attempt,
        "sent" if error is None else "failed",
        error,
    )
    await conn.execute(
        "UPDATE notifications SET status = $2, attempts = $3,"
        " next_attempt_at = COALESCE($4, next_attempt_at), last_error = $5,"
        " sent_at = CASE WHEN $2 = 'sent' THEN now() END WHERE notification_id = $1",
        notification_id,
        o.status,
        o.attempt,
        o.next_attempt_at,
        error,
    )
