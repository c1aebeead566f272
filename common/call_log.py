"""The audit rows of partner reads, written in batches.

A read (a facility's eligibility question, a referral looked up) changes nothing, so its audit
row need not share a transaction with it: the call answers after one query, and a task of the
process writes what gathered every `interval` seconds in one COPY. What a hard kill loses is at
most the last interval of read audit rows, never a state change (a write keeps its audit row
in its own transaction); a stop flushes first. A database that refuses keeps the rows for the
next flush, up to `limit`, after which they are dropped and counted, never held in memory
without bound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import asyncpg
from prometheus_client import Counter

log = logging.getLogger(__name__)
DROPPED = Counter("partner_read_audit_dropped_total",
                  "Read audit rows dropped because the database refused them for too long")

# (cons_id, route template, outcome, id of the key that signed, at)
Row = tuple[str, str, str, str | None, datetime]
WriteCalls = Callable[[asyncpg.Pool, list[Row]], Awaitable[None]]


class CallLog:
    def __init__(self, pool: asyncpg.Pool, write: WriteCalls, *, interval: float = 0.1,
                 limit: int = 100_000) -> None:
        self.pool, self.write, self.interval, self.limit = pool, write, interval, limit
        self.rows: list[Row] = []
        self._task: asyncio.Task | None = None

    def add(self, cons_id: str, path: str, outcome: str, key_id: str | None) -> None:
        self.rows.append((cons_id, path, outcome, key_id, datetime.now(UTC)))
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="partner-read-audit")

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.flush()

    async def flush(self) -> None:
        rows, self.rows = self.rows, []
        if not rows:
            return
        try:
            await self.write(self.pool, rows)
        except Exception:
            log.warning("read audit rows not written; kept for the next flush", exc_info=True)
            kept = rows + self.rows
            if len(kept) > self.limit:
                DROPPED.inc(len(kept) - self.limit)
                kept = kept[-self.limit:]
            self.rows = kept

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self.flush()
