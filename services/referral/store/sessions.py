"""Member sessions membership ended (SessionEnded): their access tokens are refused here."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg


async def revoked_since(pool: asyncpg.Pool | asyncpg.Connection,
                        since: datetime) -> set[uuid.UUID]:
    """Sessions ended since `since` (older ones have no live access token left)."""
    rows = await pool.fetch("SELECT sid FROM revoked_sessions WHERE ended_at > $1", since)
    return {r["sid"] for r in rows}
