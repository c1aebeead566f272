"""What every document use case needs: the next number of a kind, and the facilities it names
as the domain's Site (type, contract, polis)."""

from __future__ import annotations

from datetime import date

import asyncpg

from services.referral.domain.numbers import Kind, document_number
from services.referral.domain.referrals import Site
from services.referral.store import documents as store


async def next_number(conn: asyncpg.Connection, facility_code: str, kind: Kind, on: date) -> str:
    """The facility's next document number of `kind` for the month of `on` (WIB)."""
    month = on.replace(day=1)
    sequence = await store.next_sequence(conn, facility_code, kind.value, month)
    return document_number(facility_code, on, kind, sequence)


async def site(db: store.Executor, code: str) -> tuple[Site, str] | None:
    """A facility as the rules see it, and its name; None when no facility has the code."""
    row = await store.site(db, code)
    if row is None:
        return None
    return Site(row["code"], row["facility_type"], row["active"], frozenset(row["polis"])), row[
        "name"
    ]
