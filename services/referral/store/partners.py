"""Facility partners (an FKTP or a hospital) with their sealed secrets, and their call audit."""

from __future__ import annotations

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool
# An audit row keeps the cons-id as given, cut short: a caller cannot fill the table with it.
CONS_ID_KEPT = 64


async def active(db: Executor) -> list[Row]:
    """Every active partner: cons_id, kind, facility_code and the sealed secret."""
    return await db.fetch(
        "SELECT cons_id, kind, facility_code, secret_sealed FROM partners WHERE active"
    )


async def upsert(
    conn: asyncpg.Connection, *, cons_id: str, kind: str, facility_code: str, secret_sealed: str
) -> None:
    """Add the partner or bring it up to date (its kind, facility and secret), active."""
    await conn.execute(
        "INSERT INTO partners (cons_id, kind, facility_code, secret_sealed)"
        " VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (cons_id) DO UPDATE SET kind = EXCLUDED.kind,"
        " facility_code = EXCLUDED.facility_code, secret_sealed = EXCLUDED.secret_sealed,"
        " active = true, updated_at = now()",
        cons_id,
        kind,
        facility_code,
        secret_sealed,
    )


async def record_call(db: Executor, cons_id: str, path: str, outcome: str) -> None:
    """One partner call and how it ended; in the caller's transaction when it has one."""
    await db.execute(
        "INSERT INTO partner_calls (cons_id, path, outcome) VALUES ($1, $2, $3)",
        cons_id[:CONS_ID_KEPT],
        path,
        outcome,
    )


async def record_calls(pool: asyncpg.Pool, rows: list[tuple]) -> None:
    """Read calls' audit rows, many at once (common.call_log): (cons_id, path, outcome, at)."""
    await pool.copy_records_to_table(
        "partner_calls", columns=["cons_id", "path", "outcome", "at"],
        records=[(c[:CONS_ID_KEPT], p, o, at) for c, p, o, at in rows])
