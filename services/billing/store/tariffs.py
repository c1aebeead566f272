"""The tariffs table as the domain's TariffTable (a new tariff is a new row, issue 16)."""

from __future__ import annotations

import asyncpg

from services.billing.domain.tariffs import TariffTable, tariff_table


async def table(conn: asyncpg.Connection) -> TariffTable:
    """Every stored tariff row, in effect from its effective_from on."""
    rows = await conn.fetch("SELECT effective_from, tariff FROM tariffs ORDER BY effective_from")
    # The row's own effective_from is the key; the JSON's copy of it must not disagree.
    return tariff_table({**r["tariff"], "effective_from": r["effective_from"]} for r in rows)
