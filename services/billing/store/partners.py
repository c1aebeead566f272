"""Partners (banks, facilities) and the audit of their calls; their sealed keys are in
partner_keys (common.partner_key_store)."""

from __future__ import annotations

import asyncpg

Row = asyncpg.Record
# An audit row keeps the cons-id as given, cut short: a caller cannot fill the table with it.
CONS_ID_KEPT = 64


async def active(pool: asyncpg.Pool | asyncpg.Connection) -> list[Row]:
    """Every active partner: cons_id and kind."""
    return await pool.fetch("SELECT cons_id, kind FROM partners WHERE active")


async def upsert(conn: asyncpg.Connection, *, cons_id: str, name: str, kind: str) -> None:
    """Add the partner or bring it up to date (its name and kind), active."""
    await conn.execute(
        "INSERT INTO partners (cons_id, name, kind) VALUES ($1, $2, $3)"
        " ON CONFLICT (cons_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
        " active = true, updated_at = now()",
        cons_id, name, kind)


async def record_call(conn: asyncpg.Pool | asyncpg.Connection, cons_id: str, path: str,
                      outcome: str, key_id: str | None) -> None:
    """One partner call, how it ended and the key that signed it (None: refused unsigned); in
    the caller's transaction when it has one."""
    await conn.execute(
        "INSERT INTO partner_calls (cons_id, path, outcome, key_id) VALUES ($1, $2, $3, $4)",
        cons_id[:CONS_ID_KEPT], path, outcome, key_id)
