"""What a member's bill view reads from the ledger: every open bill and the recent history."""

from __future__ import annotations

import asyncpg

Row = asyncpg.Record


async def bills(conn: asyncpg.Connection | asyncpg.Pool, payer_kind: str, payer_id: str,
                since_period: str) -> list[Row]:
    """Every open bill of the payer and the settled ones from since_period on, oldest first."""
    return await conn.fetch(
        "SELECT bill_id, period, amount, due_date, status, settled_at, settled_by FROM bills"
        " WHERE payer_kind = $1 AND payer_id = $2 AND (status = 'open' OR period >= $3)"
        " ORDER BY period", payer_kind, payer_id, since_period)
