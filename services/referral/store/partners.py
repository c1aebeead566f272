"""Facility partners (an FKTP or a hospital) and their call audit; their sealed keys are in
partner_keys (common.partner_key_store)."""

from __future__ import annotations

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool
# An audit row keeps the cons-id as given, cut short: a caller cannot fill the table with it.
CONS_ID_KEPT = 64


async def active(db: Executor) -> list[Row]:
    """Every active partner: cons_id, kind and facility_code."""
    return await db.fetch("SELECT cons_id, kind, facility_code FROM partners WHERE active")


async def upsert(conn: asyncpg.Connection, *, cons_id: str, kind: str, facility_code: str
                 ) -> None:
    """Add the partner or bring it up to date (its kind and facility), active."""
    await conn.execute(
        "INSERT INTO partners (cons_id, kind, facility_code) VALUES ($1, $2, $3)"
        " ON CONFLICT (cons_id) DO UPDATE SET kind = EXCLUDED.kind,"
        " facility_code = EXCLUDED.facility_code, active = true, updated_at = now()",
        cons_id,
        kind,
        facility_code,
    )


async def record_call(db: Executor, cons_id: str, path: str, outcome: str,
                      key_id: str | None) -> None:
    """One partner call, how it ended and the key that signed it (None: refused unsigned); in
    the caller's transaction when it has one."""
    await db.execute(
        "INSERT INTO partner_calls (cons_id, path, outcome, key_id) VALUES ($1, $2, $3, $4)",
        cons_id[:CONS_ID_KEPT],
        path,
        outcome,
        key_id,
    )


async def record_calls(pool: asyncpg.Pool, rows: list[tuple]) -> None:
    """Read calls' audit rows, many at once (common.call_log): (cons_id, path, outcome, key_id,
    at)."""
    await pool.copy_records_to_table(
        "partner_calls", columns=["cons_id", "path", "outcome", "key_id", "at"],
        records=[(c[:CONS_ID_KEPT], p, o, k, at) for c, p, o, k, at in rows])
