"""Ended sessions and disabled staff accounts, checked on every request without a query per
request.

Each process keeps the set of sessions (`sid`) ended, and of staff usernames disabled, within the
last token lifetime (member and staff tokens live ACCESS_TOKEN_TTL: an older one has no live
token left) and reloads it when it is older than `refresh_seconds`: an ended session's or a
disabled account's tokens stop working within that many seconds, at the cost of one indexed
read per interval. Each service loads its own table (membership ends sessions and disables
accounts; the others learn of it from SessionEnded and StaffDisabled). Measured on GET /v1/me
in-process: see services/membership/README.md.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Hashable
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from common.member_tokens import ACCESS_TOKEN_TTL

# Room for clocks of two processes that disagree a little.
_SKEW = timedelta(minutes=1)

# Reads the keys (session ids, staff usernames) revoked since a time.
Loader = Callable[[asyncpg.Pool, datetime], Awaitable[set[Any]]]


class RevokedSessions:
    """This process's view of the ended sessions (or disabled accounts), at most
    `refresh_seconds` old."""

    def __init__(self, refresh_seconds: float, load: Loader) -> None:
        self.refresh_seconds, self._load = refresh_seconds, load
        self._sids: set[Any] = set()
        self._loaded = float("-inf")
        self._lock = asyncio.Lock()

    async def contains(self, pool: asyncpg.Pool, sid: Hashable, now: datetime) -> bool:
        if time.monotonic() - self._loaded >= self.refresh_seconds:
            async with self._lock:  # one reload at a time; the others then see it fresh
                if time.monotonic() - self._loaded >= self.refresh_seconds:
                    self._sids = await self._load(pool, now - ACCESS_TOKEN_TTL - _SKEW)
                    self._loaded = time.monotonic()
        return sid in self._sids


# The SQL of a service that learns of ended sessions from SessionEnded (billing, referral): its
# own `revoked_sessions (sid, member_id, ended_at)` table.


async def record_ended(
    conn: asyncpg.Connection, sid: uuid.UUID, member_id: uuid.UUID, ended_at: datetime
) -> None:
    """Keep one ended session (a redelivered SessionEnded changes nothing)."""
    await conn.execute(
        "INSERT INTO revoked_sessions (sid, member_id, ended_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (sid) DO NOTHING",
        sid,
        member_id,
        ended_at,
    )


async def ended_since(pool: asyncpg.Pool | asyncpg.Connection, since: datetime) -> set[uuid.UUID]:
    """Sessions ended since `since` (older ones have no live access token left)."""
    rows = await pool.fetch("SELECT sid FROM revoked_sessions WHERE ended_at > $1", since)
    return {r["sid"] for r in rows}


# The SQL of a service that learns of disabled staff accounts from StaffDisabled (billing,
# notify): its own `disabled_staff (username, disabled_at)` table.


async def record_staff_disabled(conn: asyncpg.Connection, username: str,
                                disabled_at: datetime) -> None:
    """Keep one disabled account (a redelivered StaffDisabled changes nothing)."""
    await conn.execute(
        "INSERT INTO disabled_staff (username, disabled_at) VALUES ($1, $2)"
        " ON CONFLICT (username) DO NOTHING", username, disabled_at)


async def staff_disabled_since(pool: asyncpg.Pool | asyncpg.Connection,
                               since: datetime) -> set[str]:
    """Staff accounts disabled since `since` (older ones have no live staff token left)."""
    rows = await pool.fetch("SELECT username FROM disabled_staff WHERE disabled_at > $1", since)
    return {r["username"] for r in rows}
