"""Retention: published outbox rows, processed event ids and idempotency keys expire.

Each table is purged in small batches, each its own short transaction, skipping rows another
transaction holds, so the job never blocks writers or the relay for long. Windows come from
RetentionSettings (RETENTION_* env vars); the clock makes the cutoff testable.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import asyncpg
from prometheus_client import Counter

from common.clock import Clock
from common.settings import RetentionSettings

log = logging.getLogger(__name__)

PURGED = Counter("retention_purged_rows_total", "Rows deleted by the retention job", ["table"])

# table -> the timestamp its window counts from; ctid batches work whatever the primary key.
_TABLES = {
    "outbox": "published_at",  # unpublished rows (NULL) never match: they are never purged
    "processed_events": "processed_at",
    "idempotency_keys": "created_at",
}


def _windows(settings: RetentionSettings) -> dict[str, timedelta]:
    return {
        "outbox": timedelta(days=settings.outbox_published_days),
        "processed_events": timedelta(days=settings.processed_events_days),
        "idempotency_keys": timedelta(hours=settings.idempotency_keys_hours),
    }


async def purge_table(pool: asyncpg.Pool, table: str, cutoff: datetime, batch: int) -> int:
    """Delete rows of `table` older than `cutoff`, `batch` at a time; returns how many went."""
    column = _TABLES[table]
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


async def purge(pool: asyncpg.Pool, settings: RetentionSettings, clock: Clock) -> dict[str, int]:
    """One pass over every table; returns the rows deleted per table."""
    now = clock.now()
    deleted = {
        table: await purge_table(pool, table, now - window, settings.batch)
        for table, window in _windows(settings).items()
    }
    if any(deleted.values()):
        log.info("retention purged rows", extra={"fields": deleted})
    return deleted
