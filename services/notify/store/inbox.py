"""The in-app inbox: one item per message and member, newest first."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.notify.domain.inbox import Cursor


async def put(conn: asyncpg.Connection, *, member_id: uuid.UUID, source_event_id: uuid.UUID,
              template: str, title: str, body: str, at: datetime) -> None:
    """File one message; the same event files nothing twice."""
    await conn.execute(
        "INSERT INTO inbox_items (item_id, member_id, source_event_id, template, title, body,"
        " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (source_event_id, member_id) DO NOTHING",
        uuid.uuid4(), member_id, source_event_id, template, title, body, at)


async def page(conn: asyncpg.Connection | asyncpg.Pool, member_id: uuid.UUID,
               after: Cursor | None, limit: int) -> list[asyncpg.Record]:
    """Up to `limit` + 1 items older than `after` (the extra one tells a next page exists)."""
    if after is None:
        return await conn.fetch(
            "SELECT * FROM inbox_items WHERE member_id = $1"
            " ORDER BY created_at DESC, item_id DESC LIMIT $2", member_id, limit + 1)
    return await conn.fetch(
        "SELECT * FROM inbox_items WHERE member_id = $1 AND (created_at, item_id) < ($2, $3)"
        " ORDER BY created_at DESC, item_id DESC LIMIT $4",
        member_id, after.created_at, after.item_id, limit + 1)


async def unread(conn: asyncpg.Connection | asyncpg.Pool, member_id: uuid.UUID) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM inbox_items WHERE member_id = $1 AND read_at IS NULL", member_id)


async def mark_read(conn: asyncpg.Connection, member_id: uuid.UUID, item_id: uuid.UUID,
                    now: datetime) -> asyncpg.Record | None:
    """Mark one of the member's items read (the first reading's time stays); None when the
    member has no such item."""
    return await conn.fetchrow(
        "UPDATE inbox_items SET read_at = COALESCE(read_at, $3)"
        " WHERE member_id = $1 AND item_id = $2 RETURNING item_id, read_at",
        member_id, item_id, now)


async def mark_all_read(conn: asyncpg.Connection, member_id: uuid.UUID, now: datetime) -> int:
    rows = await conn.fetch(
        "UPDATE inbox_items SET read_at = $2 WHERE member_id = $1 AND read_at IS NULL"
        " RETURNING item_id", member_id, now)
    return len(rows)
