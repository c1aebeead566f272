"""Applying scheduled requests on their effective date.

The schedule is the `requests` table (status `scheduled`, `effective_date`): a restarted
process finds what is due and applies it; SKIP LOCKED lets several instances share the work.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.membership.domain.calendar import local_date
from services.membership.domain.requests import Status
from services.membership.handlers import applying
from services.membership.store import requests

BATCH = 100


async def apply_due(conn: asyncpg.Connection, *, now: datetime, batch: int = BATCH) -> int:
    """Apply one batch of requests due today (WIB); returns how many."""
    due = await requests.due_for_update(conn, local_date(now), batch)
    for req in due:
        await requests.move(conn, req, [Status.APPLIED], now)
        await applying.apply(conn, req, req["effective_date"])
    return len(due)
