"""Ended sessions, checked on every member request without a query per request.

Each process keeps the set of login families ended within the last access-token lifetime (an
older one has no live access token left) and reloads it when it is older than
`revocation_refresh_seconds`: an ended session's access tokens stop working within that many
seconds, at the cost of one indexed read per interval. Measured on GET /v1/me in-process: see
services/membership/README.md.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime, timedelta

import asyncpg

from services.membership.domain import rules
from services.membership.store import accounts

# Room for clocks of two processes that disagree a little.
_SKEW = timedelta(minutes=1)


class RevokedSessions:
    def __init__(self, refresh_seconds: float) -> None:
        self.refresh_seconds = refresh_seconds
        self._sids: set[uuid.UUID] = set()
        self._loaded = float("-inf")
        self._lock = asyncio.Lock()

    async def contains(self, pool: asyncpg.Pool, sid: uuid.UUID, now: datetime) -> bool:
        if time.monotonic() - self._loaded >= self.refresh_seconds:
            async with self._lock:  # one reload at a time; the others then see it fresh
                if time.monotonic() - self._loaded >= self.refresh_seconds:
                    self._sids = await accounts.revoked_since(
                        pool, now - rules.ACCESS_TOKEN_TTL - _SKEW)
                    self._loaded = time.monotonic()
        return sid in self._sids
