"""Visits' SQL: record one, read one, a member's history."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool


async def insert(
    conn: asyncpg.Connection,
    *,
    number: str,
    member_id: uuid.UUID,
    facility_code: str,
    poli_code: str,
    visited_on: date,
    referral_number: str | None,
    control_letter_number: str | None,
    recorded_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO visits (number, member_id, facility_code, poli_code, visited_on,"
        " referral_number, control_letter_number, recorded_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        number,
        member_id,
        facility_code,
        poli_code,
        visited_on,
        referral_number,
        control_letter_number,
        recorded_at,
    )


async def by_number(db: Executor, number: str) -> Row | None:
    return await db.fetchrow(
        "SELECT number, member_id, facility_code, poli_code, visited_on, referral_number,"
        " control_letter_number, booking_code FROM visits WHERE number = $1",
        number,
    )


async def of_member(db: Executor, member_id: uuid.UUID, limit: int = 100) -> list[Row]:
    """The member's visits, latest first, with the facility's name and type."""
    return await db.fetch(
        "SELECT v.number, v.facility_code, f.name AS facility_name, f.facility_type,"
        " v.poli_code, v.visited_on, v.referral_number, v.control_letter_number,"
        " v.booking_code FROM visits v JOIN facilities f ON f.code = v.facility_code"
        " WHERE v.member_id = $1 ORDER BY v.visited_on DESC, v.recorded_at DESC LIMIT $2",
        member_id, limit)
