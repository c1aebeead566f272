"""The member's inbox: a page newest first with the unread count, one item read, all read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from common.errors import NotFound
from services.notify.domain.inbox import Cursor, decode
from services.notify.store import inbox


def _item(r: asyncpg.Record) -> dict[str, Any]:
    return {"id": r["item_id"], "kind": r["template"], "title": r["title"], "body": r["body"],
            "created_at": r["created_at"], "read": r["read_at"] is not None,
            "read_at": r["read_at"]}


async def page(pool: asyncpg.Pool, member_id: uuid.UUID, cursor: str | None,
               limit: int) -> dict[str, Any]:
    """{items, unread, next}: `next` is the cursor of the following page, None at the end."""
    rows = await inbox.page(pool, member_id, decode(cursor), limit)
    more, rows = len(rows) > limit, rows[:limit]
    last = rows[-1] if rows else None
    return {"items": [_item(r) for r in rows], "unread": await inbox.unread(pool, member_id),
            "next": Cursor(last["created_at"], last["item_id"]).encode() if more and last
            else None}


async def read_one(conn: asyncpg.Connection, member_id: uuid.UUID, item_id: uuid.UUID, *,
                   now: datetime) -> dict[str, Any]:
    row = await inbox.mark_read(conn, member_id, item_id, now)
    if row is None:  # another member's item is as unknown as one that never existed
        raise NotFound("notification_not_found", "You have no notification with this id.",
                       "Anda tidak memiliki notifikasi dengan id ini.", field="id")
    return {"id": row["item_id"], "read_at": row["read_at"],
            "unread": await inbox.unread(conn, member_id)}


async def read_all(conn: asyncpg.Connection, member_id: uuid.UUID, *,
                   now: datetime) -> dict[str, Any]:
    return {"marked": await inbox.mark_all_read(conn, member_id, now), "unread": 0}
