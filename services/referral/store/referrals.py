"""Referrals' SQL: issue, read (by number, by member), and the expiry scheduler's to-do list."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool

_VIEW = """
SELECT r.number, r.member_id, r.card_number, r.from_facility, ff.name AS from_facility_name,
       r.to_facility, tf.name AS to_facility_name, r.poli_code, p.name_id AS poli_name,
       r.service_type, r.diagnosis, r.notes, r.issued_on, r.valid_through, r.status
FROM referrals r
JOIN facilities ff ON ff.code = r.from_facility
JOIN facilities tf ON tf.code = r.to_facility
JOIN polis p ON p.code = r.poli_code
"""


async def insert(
    conn: asyncpg.Connection,
    *,
    number: str,
    member_id: uuid.UUID,
    card_number: str,
    from_facility: str,
    to_facility: str,
    poli_code: str,
    service_type: str,
    diagnosis: str,
    notes: str,
    issued_on: date,
    valid_through: date,
    issued_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO referrals (number, member_id, card_number, from_facility, to_facility,"
        " poli_code, service_type, diagnosis, notes, issued_on, valid_through, issued_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        number,
        member_id,
        card_number,
        from_facility,
        to_facility,
        poli_code,
        service_type,
        diagnosis,
        notes,
        issued_on,
        valid_through,
        issued_at,
    )


async def by_number(db: Executor, number: str) -> Row | None:
    """One referral with its facilities' and poli's names."""
    return await db.fetchrow(_VIEW + " WHERE r.number = $1", number)


async def of_member(db: Executor, member_id: uuid.UUID, limit: int) -> list[Row]:
    """A member's referrals, newest first."""
    return await db.fetch(
        _VIEW + " WHERE r.member_id = $1 ORDER BY r.issued_on DESC, r.number DESC LIMIT $2",
        member_id,
        limit,
    )


async def due_to_expire(conn: asyncpg.Connection, today: date, batch: int) -> list[Row]:
    """Referrals whose last valid day is before today and whose expiry is not yet announced,
    locked (another scheduler skips them)."""
    return await conn.fetch(
        "SELECT number, member_id, valid_through FROM referrals"
        " WHERE expired_published_at IS NULL AND valid_through < $1"
        " ORDER BY valid_through, number LIMIT $2 FOR UPDATE SKIP LOCKED",
        today,
        batch,
    )


async def mark_expired(conn: asyncpg.Connection, numbers: list[str], at: datetime) -> None:
    await conn.execute(
        "UPDATE referrals SET status = 'expired', expired_published_at = $2"
        " WHERE number = ANY($1::bpchar[])",
        numbers,
        at,
    )
