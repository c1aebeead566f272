"""The SQL over a service's `partner_keys` table (billing's and referral's are the same shape:
their migrations 0004 and 0006), written once."""

from __future__ import annotations

from datetime import datetime

import asyncpg

Db = asyncpg.Pool | asyncpg.Connection
_COLUMNS = "cons_id, key_id, secret_sealed, valid_from, valid_until"


async def keys_of_active_partners(db: Db) -> list[asyncpg.Record]:
    """Every key of every active partner, expired ones too: whether a key signs is decided at
    the call's time (common.partner_keys), and a partner has a handful of keys at most."""
    return await db.fetch(
        "SELECT k.cons_id, k.key_id, k.secret_sealed, k.valid_from, k.valid_until"
        " FROM partner_keys k JOIN partners p ON p.cons_id = k.cons_id WHERE p.active")


async def lock_partner(conn: asyncpg.Connection, cons_id: str) -> list[asyncpg.Record] | None:
    """The partner's keys, oldest first, with the partner locked for this transaction (two
    rotations of one partner run one after the other); None when there is no such partner."""
    if await conn.fetchval("SELECT 1 FROM partners WHERE cons_id = $1 FOR UPDATE",
                           cons_id) is None:
        return None
    return await conn.fetch(f"SELECT {_COLUMNS} FROM partner_keys WHERE cons_id = $1"
                            " ORDER BY valid_from, key_id", cons_id)


async def add_key(conn: asyncpg.Connection, *, cons_id: str, key_id: str, secret_sealed: str,
                  valid_from: datetime) -> None:
    await conn.execute(
        "INSERT INTO partner_keys (cons_id, key_id, secret_sealed, valid_from)"
        " VALUES ($1, $2, $3, $4)", cons_id, key_id, secret_sealed, valid_from)


async def expire(conn: asyncpg.Connection, cons_id: str, ends: dict[str, datetime]) -> None:
    """Set each named key's valid_until."""
    await conn.executemany(
        "UPDATE partner_keys SET valid_until = $3 WHERE cons_id = $1 AND key_id = $2",
        [(cons_id, key_id, until) for key_id, until in ends.items()])
