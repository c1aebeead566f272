"""Assisted kiosk sessions: the consent code an officer waits for, and when it opened."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.membership.domain.otp import CodeState
from services.membership.store.registrations import code_state

Row = asyncpg.Record


async def member_by_card(conn: asyncpg.Connection, card_number: str) -> Row | None:
    """The member holding a card, with their login contacts and language (None: no account)."""
    return await conn.fetchrow(
        "SELECT p.member_id, p.full_name, a.email, a.phone, a.locale FROM participants p"
        " LEFT JOIN accounts a USING (member_id) WHERE p.card_number = $1", card_number)


async def insert(conn: asyncpg.Connection, session_id: uuid.UUID, member_id: uuid.UUID,
                 staff_id: uuid.UUID, channel: str, state: CodeState) -> None:
    await conn.execute(
        "INSERT INTO assisted_sessions (session_id, member_id, staff_id, channel, code_hash,"
        " code_issued_at, code_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        session_id, member_id, staff_id, channel, state.code_hash, state.issued_at,
        state.expires_at)


async def for_update(conn: asyncpg.Connection,
                     session_id: uuid.UUID) -> tuple[Row, CodeState] | None:
    """The session, locked, and its code's state; None if there is none."""
    s = await conn.fetchrow("SELECT * FROM assisted_sessions WHERE session_id = $1 FOR UPDATE",
                            session_id)
    if s is None:
        return None
    return s, code_state(s)


async def save_attempts(conn: asyncpg.Connection, session_id: uuid.UUID,
                        state: CodeState) -> None:
    await conn.execute(
        "UPDATE assisted_sessions SET failed_attempts = $2, locked = $3 WHERE session_id = $1",
        session_id, state.failed_attempts, state.locked)


async def open_(conn: asyncpg.Connection, session_id: uuid.UUID, now: datetime) -> None:
    await conn.execute("UPDATE assisted_sessions SET opened_at = $2 WHERE session_id = $1",
                       session_id, now)


async def acting(conn: asyncpg.Connection, session_id: uuid.UUID) -> Row | None:
    """The session an officer acts in, with the member's account; locked against a concurrent
    close (FOR SHARE: two requests in one session do not wait for each other)."""
    return await conn.fetchrow(
        "SELECT s.session_id, s.member_id, s.staff_id, s.opened_at, s.closed_at, a.account_id"
        " FROM assisted_sessions s JOIN accounts a USING (member_id)"
        " WHERE s.session_id = $1 FOR SHARE OF s", session_id)


async def close(conn: asyncpg.Connection, session_id: uuid.UUID, now: datetime) -> None:
    await conn.execute(
        "UPDATE assisted_sessions SET closed_at = coalesce(closed_at, $2) WHERE session_id = $1",
        session_id, now)
