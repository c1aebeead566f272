"""Retention: published outbox rows, processed event ids and idempotency keys expire.

A service adds tables of its own (`Expiring`: throttles, ledgers, revocation lists) that the same
pass purges.

Each table is purged in small batches, each its own short transaction, skipping rows another
transaction holds, so the job never blocks writers or the relay for long. Windows come from
RetentionSettings (RETENTION_* env vars); the clock makes the cutoff testable.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg
from prometheus_client import Counter

from common.clock import Clock
from common.settings import RetentionSettings

log = logging.getLogger(__name__)

PURGED = Counter("retention_purged_rows_total", "Rows deleted by the retention job", ["table"])


@dataclass(frozen=True)
class Expiring:
    """A table whose rows go once `column` (a timestamp) is older than `window`."""

    table: str
    column: str
    window: timedelta


def _common(settings: RetentionSettings) -> list[Expiring]:
    return [
        # Unpublished rows (NULL published_at) never match: they are never purged.
        Expiring("outbox", "published_at", timedelta(days=settings.outbox_published_days)),
        Expiring("processed_events", "processed_at",
                 timedelta(days=settings.processed_events_days)),
        Expiring("idempotency_keys", "created_at",
                 timedelta(hours=settings.idempotency_keys_hours)),
    ]


async def purge_table(pool: asyncpg.Pool, table: str, column: str, cutoff: datetime,
                      batch: int) -> int:
    """Delete rows of `table` whose `column` is older than `cutoff`, `batch` at a time.

    ctid batches work whatever the primary key; names come from code, never from input.
    """
    sql = (
        f"DELETE FROM {table} WHERE ctid = ANY(ARRAY("
        f"SELECT ctid FROM {table} WHERE {column} < $1 LIMIT $2 FOR UPDATE SKIP LOCKED))"
    )
    total = 0
    while True:
        status = await pool.execute(sql, cutoff, batch)
        deleted = int(status.split()[-1])
        total += deleted
        PURGED.labels(table).inc(deleted)
        if deleted < batch:
            return total
        await asyncio.sleep(0)  # let other work on this loop run between batches


async def purge(pool: asyncpg.Pool, settings: RetentionSettings, clock: Clock,
                own: Sequence[Expiring] = ()) -> dict[str, int]:
    """One pass over the common tables and the service's `own`; returns rows deleted per table."""
    now = clock.now()
    deleted = {
        e.table: await purge_table(pool, e.table, e.column, now - e.window, settings.batch)
        for e in (*_common(settings), *own)
    }
    if any(deleted.values()):
        log.info("retention purged rows", extra={"fields": deleted})
    return deleted
