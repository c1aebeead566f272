"""Registrations: a person's pending sign-up with its verification code state."""

from __future__ import annotations

import uuid

import asyncpg

from services.membership.domain.otp import CodeState

Row = asyncpg.Record


async def supersede_pending(conn: asyncpg.Connection, member_id: uuid.UUID) -> None:
    """A new registration replaces the person's pending one (one pending per person)."""
    await conn.execute(
        "UPDATE registrations SET status = 'superseded'"
        " WHERE member_id = $1 AND status = 'pending'", member_id)


async def insert(
    conn: asyncpg.Connection, *, registration_id: uuid.UUID, member_id: uuid.UUID,
    email: str | None, phone: str | None, password_hash: str, channel: str, locale: str,
    state: CodeState,
) -> None:
    await conn.execute(
        "INSERT INTO registrations (registration_id, member_id, email, phone, password_hash,"
        " channel, locale, code_hash, code_issued_at, code_expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        registration_id, member_id, email, phone, password_hash, channel, locale,
        state.code_hash, state.issued_at, state.expires_at)


async def for_update(conn: asyncpg.Connection, registration_id: uuid.UUID) -> Row | None:
    """A registration with its participant's card and name, locked for the attempt."""
    return await conn.fetchrow(
        "SELECT r.*, p.card_number, p.full_name FROM registrations r"
        " JOIN participants p USING (member_id)"
        " WHERE r.registration_id = $1 FOR UPDATE OF r", registration_id)


async def set_contact(conn: asyncpg.Connection, registration_id: uuid.UUID, field: str,
                      value: str) -> None:
    """Replace the registration's email or phone (the registrant gave another one)."""
    column = {"email": "email", "phone": "phone"}[field]
    await conn.execute(f"UPDATE registrations SET {column} = $2 WHERE registration_id = $1",
                       registration_id, value)


def code_state(reg: Row) -> CodeState:
    """The code state a row holds (registrations, contact codes and assisted sessions keep the
    same five columns)."""
    return CodeState(code_hash=reg["code_hash"], issued_at=reg["code_issued_at"],
                     expires_at=reg["code_expires_at"], failed_attempts=reg["failed_attempts"],
                     locked=reg["locked"])


async def save_code_state(conn: asyncpg.Connection, registration_id: uuid.UUID,
                          state: CodeState, channel: str | None = None) -> None:
    await conn.execute(
        "UPDATE registrations SET code_hash = $2, code_issued_at = $3, code_expires_at = $4,"
        " failed_attempts = $5, locked = $6, channel = COALESCE($7, channel)"
        " WHERE registration_id = $1",
        registration_id, state.code_hash, state.issued_at, state.expires_at,
        state.failed_attempts, state.locked, channel)
