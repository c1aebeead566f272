"""Payment intents: the open one per payer, made, superseded, paid, read by the member."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

Row = asyncpg.Record
_COLUMNS = "intent_id, va, amount, purpose, status, created_at, expires_at, payment_id"


async def open_for(conn: asyncpg.Connection, payer_kind: str, payer_id: str) -> list[Row]:
    return await conn.fetch(
        f"SELECT {_COLUMNS} FROM payment_intents"
        " WHERE payer_kind = $1 AND payer_id = $2 AND status = 'open'", payer_kind, payer_id)


async def supersede_open(conn: asyncpg.Connection, payer_kind: str, payer_id: str) -> None:
    """A new intent replaces the payer's open one: the app shows one amount at a time."""
    await conn.execute(
        "UPDATE payment_intents SET status = 'superseded'"
        " WHERE payer_kind = $1 AND payer_id = $2 AND status = 'open'", payer_kind, payer_id)


async def insert(conn: asyncpg.Connection, *, intent_id: uuid.UUID, payer_kind: str,
                 payer_id: str, member_id: uuid.UUID, va: str, amount: int, purpose: str,
                 created_at: datetime, expires_at: datetime) -> Row:
    return await conn.fetchrow(
        "INSERT INTO payment_intents (intent_id, payer_kind, payer_id, member_id, va, amount,"
        " purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        f" RETURNING {_COLUMNS}", intent_id, payer_kind, payer_id, member_id, va, amount,
        purpose, created_at, expires_at)


async def mark_paid(conn: asyncpg.Connection, intent_id: uuid.UUID,
                    payment_id: uuid.UUID) -> None:
    await conn.execute("UPDATE payment_intents SET status = 'paid', payment_id = $2"
                       " WHERE intent_id = $1", intent_id, payment_id)


async def get(conn: asyncpg.Connection | asyncpg.Pool, intent_id: uuid.UUID, payer_kind: str,
              payer_id: str) -> Row | None:
    """One of the payer's intents (another payer's is not found)."""
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM payment_intents"
        " WHERE intent_id = $1 AND payer_kind = $2 AND payer_id = $3",
        intent_id, payer_kind, payer_id)
