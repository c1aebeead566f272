"""Partners (banks, facilities) with their sealed secrets, and the audit of their calls."""

from __future__ import annotations

import asyncpg

Row = asyncpg.Record
# An audit row keeps the cons-id as given, cut short: a caller cannot fill the table with it.
CONS_ID_KEPT = 64


async def active(pool: asyncpg.Pool | asyncpg.Connection) -> list[Row]:
    """Every active partner: cons_id, kind and the sealed secret."""
    return await pool.fetch(
        "SELECT cons_id, kind, secret_sealed FROM partners WHERE active")


async def upsert(conn: asyncpg.Connection, *, cons_id: str, name: str, kind: str,
                 secret_sealed: str) -> None:
    """Add the partner or bring it up to date (its secret, name and kind), active."""
    await conn.execute(
        "INSERT INTO partners (cons_id, name, kind, secret_sealed) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (cons_id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
        " secret_sealed = EXCLUDED.secret_sealed, active = true, updated_at = now()",
        cons_id, name, kind, secret_sealed)


async def record_call(conn: asyncpg.Pool | asyncpg.Connection, cons_id: str, path: str,
                      outcome: str) -> None:
    """One partner call and how it ended; in the caller's transaction when it has one."""
    await conn.execute("INSERT INTO partner_calls (cons_id, path, outcome) VALUES ($1, $2, $3)",
                       cons_id[:CONS_ID_KEPT], path, outcome)
