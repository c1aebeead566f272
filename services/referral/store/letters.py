"""Control letters' and back-referrals' SQL."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool


async def insert_control_letter(
    conn: asyncpg.Connection,
    *,
    number: str,
    referral_number: str,
    visit_number: str,
    member_id: uuid.UUID,
    facility_code: str,
    poli_code: str,
    doctor_id: str | None,
    issued_on: date,
    planned_on: date,
    issued_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO control_letters (number, referral_number, visit_number, member_id,"
        " facility_code, poli_code, doctor_id, issued_on, planned_on, issued_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        number,
        referral_number,
        visit_number,
        member_id,
        facility_code,
        poli_code,
        doctor_id,
        issued_on,
        planned_on,
        issued_at,
    )


async def control_letter_for_update(conn: asyncpg.Connection, number: str) -> Row | None:
    """One control letter, locked: using it is a read-then-mark the row lock serialises."""
    return await conn.fetchrow(
        "SELECT number, referral_number, visit_number, member_id, facility_code, poli_code,"
        " doctor_id, issued_on, planned_on, used_at FROM control_letters WHERE number = $1"
        " FOR UPDATE",
        number,
    )


async def mark_used(conn: asyncpg.Connection, number: str, at: datetime) -> None:
    await conn.execute("UPDATE control_letters SET used_at = $2 WHERE number = $1", number, at)


async def insert_back_referral(
    conn: asyncpg.Connection,
    *,
    number: str,
    referral_number: str,
    member_id: uuid.UUID,
    hospital_code: str,
    fktp_code: str,
    diagnosis: str,
    programme: str,
    advice: str,
    issued_on: date,
    issued_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO back_referrals (number, referral_number, member_id, hospital_code,"
        " fktp_code, diagnosis, programme, advice, issued_on, issued_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        number,
        referral_number,
        member_id,
        hospital_code,
        fktp_code,
        diagnosis,
        programme,
        advice,
        issued_on,
        issued_at,
    )
