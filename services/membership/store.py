"""Membership's SQL, in one place. Every function runs on the caller's connection/transaction."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from services.membership.domain.otp import CodeState

Row = asyncpg.Record


async def participant_by_nik(conn: asyncpg.Connection, nik: str) -> Row | None:
    """The programme record for a NIK, locked: registrations of one person queue up here."""
    return await conn.fetchrow("SELECT * FROM participants WHERE nik = $1 FOR UPDATE", nik)


async def account_of_member(conn: asyncpg.Connection, member_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow("SELECT * FROM accounts WHERE member_id = $1", member_id)


async def contact_taken(conn: asyncpg.Connection, field: str, value: str) -> bool:
    """Whether another account already uses this email or phone for login."""
    assert field in ("email", "phone")
    return bool(await conn.fetchval(f"SELECT 1 FROM accounts WHERE {field} = $1", value))


async def supersede_pending(conn: asyncpg.Connection, member_id: uuid.UUID) -> None:
    await conn.execute(
        "UPDATE registrations SET status = 'superseded'"
        " WHERE member_id = $1 AND status = 'pending'",
        member_id,
    )


async def insert_registration(
    conn: asyncpg.Connection,
    *,
    registration_id: uuid.UUID,
    member_id: uuid.UUID,
    email: str | None,
    phone: str | None,
    password_hash: str,
    channel: str,
    locale: str,
    state: CodeState,
) -> None:
    await conn.execute(
        "INSERT INTO registrations (registration_id, member_id, email, phone, password_hash,"
        " channel, locale, code_hash, code_issued_at, code_expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        registration_id,
        member_id,
        email,
        phone,
        password_hash,
        channel,
        locale,
        state.code_hash,
        state.issued_at,
        state.expires_at,
    )


async def registration_for_update(conn: asyncpg.Connection, registration_id: uuid.UUID):
    """A registration with its participant's card and name, locked for the attempt."""
    return await conn.fetchrow(
        "SELECT r.*, p.card_number, p.full_name FROM registrations r"
        " JOIN participants p USING (member_id)"
        " WHERE r.registration_id = $1 FOR UPDATE OF r",
        registration_id,
    )


def code_state(reg: Row) -> CodeState:
    return CodeState(
        code_hash=reg["code_hash"],
        issued_at=reg["code_issued_at"],
        expires_at=reg["code_expires_at"],
        failed_attempts=reg["failed_attempts"],
        locked=reg["locked"],
    )


async def save_code_state(
    conn: asyncpg.Connection,
    registration_id: uuid.UUID,
    state: CodeState,
    channel: str | None = None,
) -> None:
    await conn.execute(
        "UPDATE registrations SET code_hash = $2, code_issued_at = $3, code_expires_at = $4,"
        " failed_attempts = $5, locked = $6, channel = COALESCE($7, channel)"
        " WHERE registration_id = $1",
        registration_id,
        state.code_hash,
        state.issued_at,
        state.expires_at,
        state.failed_attempts,
        state.locked,
        channel,
    )


async def activate(conn: asyncpg.Connection, reg: Row, now: datetime) -> uuid.UUID | None:
    """Turn a verified registration into an account; None if the person has one already."""
    account_id = uuid.uuid4()
    created = await conn.fetchval(
        "INSERT INTO accounts (account_id, member_id, email, phone, password_hash, locale,"
        " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (member_id) DO NOTHING RETURNING account_id",
        account_id,
        reg["member_id"],
        reg["email"],
        reg["phone"],
        reg["password_hash"],
        reg["locale"],
        now,
    )
    if created:
        await conn.execute(
            "UPDATE registrations SET status = 'verified', verified_at = $2"
            " WHERE registration_id = $1",
            reg["registration_id"],
            now,
        )
    return created


_LOGIN_LOOKUP = {
    "email": "a.email = $1",
    "phone": "a.phone = $1",
    "nik": "p.nik = $1",
    "card": "p.card_number = $1",
}


async def account_for_login(conn: asyncpg.Connection, kind: str, value: str) -> Row | None:
    """The account a username names: email, phone, NIK or card number."""
    return await conn.fetchrow(
        "SELECT a.account_id, a.member_id, a.password_hash FROM accounts a"
        f" JOIN participants p USING (member_id) WHERE {_LOGIN_LOOKUP[kind]}",
        value,
    )


async def update_password_hash(conn: asyncpg.Connection, account_id: uuid.UUID, h: str) -> None:
    await conn.execute(
        "UPDATE accounts SET password_hash = $2 WHERE account_id = $1", account_id, h
    )


async def insert_refresh_token(
    conn: asyncpg.Connection,
    *,
    token_hash: str,
    account_id: uuid.UUID,
    family_id: uuid.UUID,
    issued_at: datetime,
    expires_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO refresh_tokens (token_hash, account_id, family_id, issued_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)",
        token_hash,
        account_id,
        family_id,
        issued_at,
        expires_at,
    )


async def refresh_token_for_update(conn: asyncpg.Connection, token_hash: str) -> Row | None:
    return await conn.fetchrow(
        "SELECT t.*, a.member_id FROM refresh_tokens t JOIN accounts a USING (account_id)"
        " WHERE t.token_hash = $1 FOR UPDATE OF t",
        token_hash,
    )


async def mark_refresh_used(conn: asyncpg.Connection, token_hash: str, now: datetime) -> None:
    await conn.execute(
        "UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1", token_hash, now
    )


async def revoke_family(conn: asyncpg.Connection, family_id: uuid.UUID, now: datetime) -> None:
    """A reused refresh token means it leaked: end every session descended from its login."""
    await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
        family_id,
        now,
    )


async def member_view(conn: asyncpg.Connection, account_id: uuid.UUID) -> Row | None:
    """What /v1/me shows: the participant record with its FKTP's name from the projection."""
    return await conn.fetchrow(
        "SELECT p.card_number, p.full_name, p.segment, p.pn_corps, p.care_class, p.fktp_code,"
        " f.name AS fktp_name, p.coverage, p.family_id, p.member_id, a.email, a.phone, p.address"
        " FROM accounts a JOIN participants p USING (member_id)"
        " LEFT JOIN facilities f ON f.code = p.fktp_code WHERE a.account_id = $1",
        account_id,
    )


async def upsert_facility(conn: asyncpg.Connection, f: dict[str, Any]) -> None:
    await conn.execute(
        "INSERT INTO facilities (code, facility_type, kind, name, district,"
        " accepts_new_members, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())"
        " ON CONFLICT (code) DO UPDATE SET facility_type = EXCLUDED.facility_type,"
        " kind = EXCLUDED.kind, name = EXCLUDED.name, district = EXCLUDED.district,"
        " accepts_new_members = EXCLUDED.accepts_new_members, active = EXCLUDED.active,"
        " updated_at = now()",
        f["code"],
        f["facility_type"],
        f["kind"],
        f["name"],
        f["district"],
        f["accepts_new_members"],
        f["active"],
    )
