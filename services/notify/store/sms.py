"""The SMS spend per WIB day, against the budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg


async def spent_today(conn: asyncpg.Connection, day: date) -> Decimal:
    """Today's spend, with the day's row locked until the caller's transaction ends, so two
    consumers routing at once cannot both spend the last of the budget."""
    await conn.execute("INSERT INTO sms_spend (day) VALUES ($1) ON CONFLICT DO NOTHING", day)
    return await conn.fetchval("SELECT spent FROM sms_spend WHERE day = $1 FOR UPDATE", day)


async def charge(conn: asyncpg.Connection, day: date, segments: int, cost: Decimal) -> None:
    await conn.execute(
        "UPDATE sms_spend SET segments = segments + $2, spent = spent + $3 WHERE day = $1",
        day, segments, cost)

