"""Document numbers' sequences and the facilities a document names (type, contract, polis)."""

from __future__ import annotations

from datetime import date

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool


async def next_sequence(
    conn: asyncpg.Connection, facility_code: str, kind: str, month: date
) -> int:
    """The next sequence of a (facility, kind, month): one conditional upsert, so two issuers
    at once get two numbers; past 999,999 the table's check refuses it."""
    return await conn.fetchval(
        "INSERT INTO document_sequences (facility_code, kind, month, last_value)"
        " VALUES ($1, $2, $3, 1) ON CONFLICT (facility_code, kind, month)"
        " DO UPDATE SET last_value = document_sequences.last_value + 1 RETURNING last_value",
        facility_code,
        kind,
        month,
    )


async def site(db: Executor, code: str) -> Row | None:
    """A facility as a document needs it: code, type, name, whether contracted, its polis."""
    return await db.fetchrow(
        "SELECT f.code, f.facility_type, f.name, f.active,"
        " coalesce(array_agg(fp.poli_code) FILTER (WHERE fp.poli_code IS NOT NULL), '{}')"
        "   AS polis"
        " FROM facilities f LEFT JOIN facility_polis fp ON fp.facility_code = f.code"
        " WHERE f.code = $1 GROUP BY f.code",
        code,
    )
