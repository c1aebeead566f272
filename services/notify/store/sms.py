"""The SMS spend per WIB day, over the day's slots (domain/budget.slots), against the budget."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg

# A slot locked until the caller's transaction ends, so two consumers never both spend a slot's
# last share: the one this transaction already charged (a consumer's batch keeps to one slot
# rather than collecting them all), else the least spent. SKIP LOCKED first: a slot another
# transaction holds is passed over rather than waited for; only when every slot is held (or
# the day has no rows yet) does the caller wait, and then it holds none itself: no deadlock.
_LEAST_SPENT = ("SELECT slot, spent FROM sms_spend WHERE day = $1 AND slot < $2"
                " ORDER BY xmin = pg_current_xact_id()::xid DESC, spent, slot"
                " LIMIT 1 FOR UPDATE")


async def slot_for_today(conn: asyncpg.Connection, day: date, slots: int,
                         ) -> tuple[int, Decimal]:
    """A slot of today's spend and what it has spent, locked for the caller."""
    row = await conn.fetchrow(_LEAST_SPENT + " SKIP LOCKED", day, slots)
    if row is None:
        # The day's first charge makes its rows (an insert would wait on a row being charged,
        # so it runs only when some are missing).
        if await conn.fetchval("SELECT count(*) FROM sms_spend WHERE day = $1 AND slot < $2",
                               day, slots) < slots:
            await conn.execute(
                "INSERT INTO sms_spend (day, slot) SELECT $1, s FROM generate_series(0, $2 - 1)"
                " s ON CONFLICT DO NOTHING", day, slots)
        row = await conn.fetchrow(_LEAST_SPENT, day, slots)
    return row["slot"], row["spent"]


async def charge(conn: asyncpg.Connection, day: date, slot: int, segments: int,
                 cost: Decimal) -> None:
    await conn.execute(
        "UPDATE sms_spend SET segments = segments + $3, spent = spent + $4"
        " WHERE day = $1 AND slot = $2", day, slot, segments, cost)
