"""Applies scheduled requests on their effective date, by itself, across restarts.

The schedule is the `requests` table (status `scheduled`, `effective_date`): a restarted
process finds what is due and applies it; SKIP LOCKED lets several instances share the work.
"""

from __future__ import annotations

import asyncio
import logging

from common.runtime import Runtime
from services.membership import effects
from services.membership.domain.calendar import local_date
from services.membership.domain.requests import Status
from services.membership.lifecycle import move

log = logging.getLogger(__name__)
BATCH = 100


async def apply_due(rt: Runtime) -> int:
    """Apply one batch of requests due today (WIB); returns how many."""
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        due = await conn.fetch(
            "SELECT * FROM requests WHERE status = 'scheduled' AND effective_date <= $1"
            " ORDER BY effective_date, created_at LIMIT $2 FOR UPDATE SKIP LOCKED",
            local_date(now), BATCH)
        for req in due:
            await move(conn, req, [Status.APPLIED], now)
            await effects.apply(conn, req, req["effective_date"])
    return len(due)


async def scheduler(rt: Runtime) -> None:
    """Check for due requests every `scheduler_interval_seconds` (a ServiceDefinition task)."""
    while True:
        try:
            while await apply_due(rt) == BATCH:
                pass
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("applying due requests failed; will retry", exc_info=True)
        await asyncio.sleep(rt.settings.scheduler_interval_seconds)
