"""Member sessions membership ended (SessionEnded): their access tokens are refused here."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


async def revoke(conn: asyncpg.Connection, sid: uuid.UUID, member_id: uuid.UUID,
                 ended_at: datetime) -> None:
    await conn.execute(
        "INSERT INTO revoked_sessions (sid, member_id, ended_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (sid) DO NOTHING", sid, member_id, ended_at)


async def revoked_since(pool: asyncpg.Pool | asyncpg.Connection,
                        since: datetime) -> set[uuid.UUID]:
    """Sessions ended since `since` (older ones have no live access token left)."""
    rows = await pool.fetch("SELECT sid FROM revoked_sessions WHERE ended_at > $1", since)
    return {r["sid"] for r in rows}
