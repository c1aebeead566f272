"""Autodebit mandates (the account only masked and sealed) and their collections."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

Row = asyncpg.Record
_MANDATE = "mandate_id, bank, account_masked, status, created_at, cancelled_at"


async def active(conn: asyncpg.Connection | asyncpg.Pool, payer_kind: str,
                 payer_id: str) -> Row | None:
    return await conn.fetchrow(
        f"SELECT {_MANDATE} FROM autodebit_mandates"
        " WHERE payer_kind = $1 AND payer_id = $2 AND status = 'active'", payer_kind, payer_id)


async def insert(conn: asyncpg.Connection, *, mandate_id: uuid.UUID, payer_kind: str,
                 payer_id: str, member_id: uuid.UUID, bank: str, account_masked: str,
                 account_sealed: str, created_at: datetime) -> Row | None:
    """A new active mandate; None when the payer already has one (one at a time)."""
    return await conn.fetchrow(
        "INSERT INTO autodebit_mandates (mandate_id, payer_kind, payer_id, member_id, bank,"
        " account_masked, account_sealed, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (payer_kind, payer_id) WHERE status = 'active' DO NOTHING"
        f" RETURNING {_MANDATE}", mandate_id, payer_kind, payer_id, member_id, bank,
        account_masked, account_sealed, created_at)


async def cancel(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                 now: datetime) -> Row | None:
    return await conn.fetchrow(
        "UPDATE autodebit_mandates SET status = 'cancelled', cancelled_at = $3"
        " WHERE payer_kind = $1 AND payer_id = $2 AND status = 'active'"
        f" RETURNING {_MANDATE}", payer_kind, payer_id, now)


async def claim_due(conn: asyncpg.Connection, now: datetime) -> int:
    """A pending collection for every open bill of an active mandate's payer not asked yet."""
    status = await conn.execute(
        "INSERT INTO autodebit_collections (collection_id, mandate_id, bill_id, amount,"
        " claimed_at) SELECT gen_random_uuid(), m.mandate_id, b.bill_id, b.amount, $1"
        " FROM autodebit_mandates m JOIN bills b USING (payer_kind, payer_id)"
        " WHERE m.status = 'active' AND b.status = 'open' AND b.amount > 0"
        " ON CONFLICT (mandate_id, bill_id) DO NOTHING", now)
    return int(status.split()[-1])


_PENDING = ("SELECT c.collection_id, c.amount, c.bill_id, m.bank, m.account_sealed,"
            " m.payer_kind, m.payer_id FROM autodebit_collections c"
            " JOIN autodebit_mandates m USING (mandate_id) WHERE c.status = 'pending'")


async def pending(conn: asyncpg.Connection | asyncpg.Pool, limit: int) -> list[Row]:
    """Collections claimed and not answered yet (a restart asks again), oldest first."""
    return await conn.fetch(f"{_PENDING} ORDER BY c.claimed_at LIMIT $1", limit)


async def lock_pending(conn: asyncpg.Connection, collection_id: uuid.UUID) -> Row | None:
    """A collection still pending, locked (None when another worker answered it meanwhile)."""
    return await conn.fetchrow(
        f"{_PENDING} AND c.collection_id = $1 FOR UPDATE OF c SKIP LOCKED", collection_id)


async def record_answer(conn: asyncpg.Connection, collection_id: uuid.UUID, *, succeeded: bool,
                        code: str, message: str, payment_id: uuid.UUID | None,
                        now: datetime) -> None:
    await conn.execute(
        "UPDATE autodebit_collections SET status = $2, bank_code = $3, bank_message = $4,"
        " payment_id = $5, answered_at = $6 WHERE collection_id = $1", collection_id,
        "succeeded" if succeeded else "failed", code, message, payment_id, now)


async def collections_of(conn: asyncpg.Connection | asyncpg.Pool,
                         mandate_id: uuid.UUID) -> list[Row]:
    """A mandate's collections and the bank's answers, newest first."""
    return await conn.fetch(
        "SELECT c.collection_id, b.period, c.amount, c.status, c.bank_code, c.bank_message,"
        " c.claimed_at, c.answered_at FROM autodebit_collections c JOIN bills b USING (bill_id)"
        " WHERE c.mandate_id = $1 ORDER BY c.claimed_at DESC LIMIT 24", mandate_id)
