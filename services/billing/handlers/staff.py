"""Membership disabled a staff account (StaffDisabled): its tokens are refused by billing too."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts import Envelope, events
from services.billing.store import staff


async def staff_disabled(conn: asyncpg.Connection, env: Envelope, e: events.StaffDisabled,
                         now: datetime) -> None:
    await staff.disable(conn, e.username, e.disabled_at)
