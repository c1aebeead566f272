"""Payments: the claim on a bank reference, the settled record with its first answer, the
payer's history and the daily collection summary.

A claim and its record commit in one transaction, so every committed row is a whole payment.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

Row = asyncpg.Record


async def claim(conn: asyncpg.Connection, payment_id: uuid.UUID, cons_id: str,
                bank_reference: str, fingerprint: str, received_at: datetime) -> bool:
    """Take the bank reference for this delivery; False when another delivery has it.

    A concurrent copy waits here on the unique key until the first commits (then it is
    False, and the first's answer is readable) or rolls back (then it is True: a fresh try).
    """
    return bool(await conn.fetchval(
        "INSERT INTO payments (payment_id, cons_id, bank_reference, fingerprint, received_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (cons_id, bank_reference) DO NOTHING"
        " RETURNING true", payment_id, cons_id, bank_reference, fingerprint, received_at))


async def first_delivery(conn: asyncpg.Connection, cons_id: str, bank_reference: str) -> Row:
    """The committed delivery that holds a bank reference: its fingerprint and answer."""
    return await conn.fetchrow(
        "SELECT payment_id, fingerprint, answer FROM payments"
        " WHERE cons_id = $1 AND bank_reference = $2", cons_id, bank_reference)


async def record(conn: asyncpg.Connection, payment_id: uuid.UUID, **fields: Any) -> None:
    """Fill in a claimed payment: who paid, what it settled, and the answer given."""
    names = list(fields)
    sets = ", ".join(f"{n} = ${i + 2}" for i, n in enumerate(names))
    await conn.execute(f"UPDATE payments SET {sets} WHERE payment_id = $1", payment_id,
                       *fields.values())


async def insert_collected(conn: asyncpg.Connection, **fields: Any) -> None:
    """A payment billing collected itself (autodebit): one row, already complete."""
    names = list(fields)
    await conn.execute(
        f"INSERT INTO payments ({', '.join(names)}) VALUES"
        f" ({', '.join(f'${i + 1}' for i in range(len(names)))})", *fields.values())


async def history(conn: asyncpg.Connection | asyncpg.Pool, payer_kind: str, payer_id: str,
                  limit: int = 24) -> list[Row]:
    """The payer's latest payments, newest first."""
    return await conn.fetch(
        "SELECT payment_id, amount, channel, paid_at, settled_periods FROM payments"
        " WHERE payer_kind = $1 AND payer_id = $2 ORDER BY paid_at DESC LIMIT $3",
        payer_kind, payer_id, limit)


async def collections(conn: asyncpg.Connection | asyncpg.Pool, day: date) -> list[Row]:
    """Payments settled on a (WIB) day, counted and summed by channel and segment."""
    return await conn.fetch(
        "SELECT channel, coalesce(segment, payer_kind) AS segment, count(*) AS payments,"
        " sum(amount)::bigint AS amount FROM payments"
        " WHERE paid_on = $1"
        " GROUP BY 1, 2 ORDER BY 1, 2", day)


async def arrears_by_segment(conn: asyncpg.Connection | asyncpg.Pool, first: str,
                             current: str) -> list[Row]:
    """Payers in arrears (as last published) by segment (a family's head's; otherwise the payer
    kind), with their counted months and the open bills of periods `first` up to, not
    including, `current` (the arrears that are owed)."""
    return await conn.fetch(
        "SELECT coalesce(m.segment, p.payer_kind) AS segment, count(*) AS payers,"
        " sum(p.arrears_months)::bigint AS months, coalesce(sum(o.amount), 0)::bigint AS amount"
        " FROM payers p LEFT JOIN members m ON m.member_id = p.head_member_id"
        " LEFT JOIN LATERAL (SELECT sum(b.amount) AS amount FROM bills b"
        "   WHERE b.payer_kind = p.payer_kind AND b.payer_id = p.payer_id AND b.status = 'open'"
        "   AND b.period >= $1 AND b.period < $2) o ON true"
        " WHERE p.arrears_months > 0 GROUP BY 1 ORDER BY 1", first, current)
