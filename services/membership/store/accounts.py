"""Accounts: activation, login lookups, login contacts and refresh tokens
(branch staff accounts: store.staff)."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

Row = asyncpg.Record

# The unique indexes behind "this email/phone is used by another account".
CONTACT_CONSTRAINTS = {"accounts_email_key": "email", "accounts_phone_key": "phone"}
_LOGIN_LOOKUP = {
    "email": "a.email = $1",
    "phone": "a.phone = $1",
    "nik": "p.nik = $1",
    "card": "p.card_number = $1",
}


async def of_member(conn: asyncpg.Connection, member_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow("SELECT * FROM accounts WHERE member_id = $1", member_id)


async def contact_taken(conn: asyncpg.Connection, field: str, value: str) -> bool:
    """Whether another account already uses this email or phone for login."""
    column = {"email": "email", "phone": "phone"}[field]
    return bool(await conn.fetchval(f"SELECT 1 FROM accounts WHERE {column} = $1", value))


class ContactTaken(Exception):
    """Another account holds this login email or phone (its `field`)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


async def activate(conn: asyncpg.Connection, reg: Row, now: datetime) -> uuid.UUID | None:
    """Turn a verified registration into an account; None if the person has one already.
    Raises ContactTaken when another account took its email or phone since it started."""
    try:
        async with conn.transaction():  # a savepoint: the violation must not doom the caller
            created = await conn.fetchval(
                "INSERT INTO accounts (account_id, member_id, email, phone, password_hash,"
                " locale, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                " ON CONFLICT (member_id) DO NOTHING RETURNING account_id",
                uuid.uuid4(), reg["member_id"], reg["email"], reg["phone"],
                reg["password_hash"], reg["locale"], now)
    except asyncpg.UniqueViolationError as exc:
        if field := CONTACT_CONSTRAINTS.get(exc.constraint_name or ""):
            raise ContactTaken(field) from None
        raise
    if created:
        await conn.execute(
            "UPDATE registrations SET status = 'verified', verified_at = $2"
            " WHERE registration_id = $1", reg["registration_id"], now)
    return created


async def for_login(conn: asyncpg.Connection, kind: str, value: str) -> Row | None:
    """The account a username names: email, phone, NIK or card number."""
    return await conn.fetchrow(
        "SELECT a.account_id, a.member_id, a.password_hash, a.locale FROM accounts a"
        f" JOIN participants p USING (member_id) WHERE {_LOGIN_LOOKUP[kind]}", value)


async def update_password_hash(conn: asyncpg.Connection, account_id: uuid.UUID, h: str) -> None:
    await conn.execute("UPDATE accounts SET password_hash = $2 WHERE account_id = $1",
                       account_id, h)


async def set_login_contact(conn: asyncpg.Connection, account_id: uuid.UUID, field: str,
                            value: str) -> Row | None:
    """Make `value` the account's login email or phone; None if another account holds it."""
    column = {"email": "email", "phone": "phone"}[field]
    try:
        async with conn.transaction():  # a savepoint: the violation must not doom the caller
            return await conn.fetchrow(
                f"UPDATE accounts SET {column} = $2 WHERE account_id = $1"
                " RETURNING email, phone, locale", account_id, value)
    except asyncpg.UniqueViolationError as exc:
        if CONTACT_CONSTRAINTS.get(exc.constraint_name or "") == field:
            return None  # someone took it since the code was sent
        raise


async def insert_refresh_token(
    conn: asyncpg.Connection, *, token_hash: str, account_id: uuid.UUID, family_id: uuid.UUID,
    issued_at: datetime, expires_at: datetime,
) -> None:
    await conn.execute(
        "INSERT INTO refresh_tokens (token_hash, account_id, family_id, issued_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5)", token_hash, account_id, family_id, issued_at, expires_at)


async def refresh_token_for_update(conn: asyncpg.Connection, token_hash: str) -> Row | None:
    return await conn.fetchrow(
        "SELECT t.*, a.member_id FROM refresh_tokens t JOIN accounts a USING (account_id)"
        " WHERE t.token_hash = $1 FOR UPDATE OF t", token_hash)


async def mark_refresh_used(conn: asyncpg.Connection, token_hash: str, now: datetime,
                            successor_sealed: str) -> None:
    """Spend a refresh token, keeping the pair it produced (sealed) for a retry's replay."""
    await conn.execute(
        "UPDATE refresh_tokens SET used_at = $2, successor_sealed = $3 WHERE token_hash = $1",
        token_hash, now, successor_sealed)


async def refresh_used(conn: asyncpg.Connection, token_hash: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT used_at IS NOT NULL FROM refresh_tokens WHERE token_hash = $1", token_hash))


async def revoke_login_family(conn: asyncpg.Connection, family_id: uuid.UUID,
                              now: datetime) -> uuid.UUID | None:
    """End every session descended from one login: its refresh tokens, and (through
    revoked_sessions) its access tokens. Returns the member whose session this call ended;
    None when it had ended already."""
    await conn.execute(
        "UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL",
        family_id, now)
    return await conn.fetchval(
        "WITH ended AS (INSERT INTO revoked_sessions (sid, revoked_at) VALUES ($1, $2)"
        " ON CONFLICT (sid) DO NOTHING RETURNING sid)"
        " SELECT a.member_id FROM ended JOIN refresh_tokens t ON t.family_id = ended.sid"
        " JOIN accounts a USING (account_id) LIMIT 1", family_id, now)


async def families_of(conn: asyncpg.Connection, account_id: uuid.UUID,
                      now: datetime) -> list[uuid.UUID]:
    """The account's login families that still have a live refresh token."""
    rows = await conn.fetch(
        "SELECT DISTINCT family_id FROM refresh_tokens WHERE account_id = $1"
        " AND revoked_at IS NULL AND expires_at > $2", account_id, now)
    return [r["family_id"] for r in rows]


async def revoked_since(conn: asyncpg.Connection | asyncpg.Pool,
                        since: datetime) -> set[uuid.UUID]:
    """Sessions ended since `since` (older ones have no live access token left)."""
    rows = await conn.fetch("SELECT sid FROM revoked_sessions WHERE revoked_at > $1", since)
    return {r["sid"] for r in rows}


async def password_check_data(conn: asyncpg.Connection, account_id: uuid.UUID) -> Row | None:
    """What a password change needs: the hash, and the NIK and birth date a password may not
    contain."""
    return await conn.fetchrow(
        "SELECT a.password_hash, p.nik, p.birth_date FROM accounts a"
        " JOIN participants p USING (member_id) WHERE a.account_id = $1 FOR UPDATE OF a",
        account_id)
