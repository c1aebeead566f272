"""Codes proving a new email or phone, one per contact-change request."""

from __future__ import annotations

import uuid

import asyncpg

from services.membership.domain.otp import CodeState
from services.membership.store.registrations import code_state

Row = asyncpg.Record


async def insert(conn: asyncpg.Connection, request_id: uuid.UUID, channel: str,
                 destination: str, state: CodeState) -> None:
    await conn.execute(
        "INSERT INTO contact_codes (request_id, channel, destination, code_hash,"
        " code_issued_at, code_expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        request_id, channel, destination, state.code_hash, state.issued_at, state.expires_at)


async def get(conn: asyncpg.Connection, request_id: uuid.UUID) -> tuple[str, CodeState]:
    """The destination a code went to, and the code's state."""
    c = await conn.fetchrow("SELECT * FROM contact_codes WHERE request_id = $1", request_id)
    return c["destination"], code_state(c)


async def save_attempts(conn: asyncpg.Connection, request_id: uuid.UUID,
                        state: CodeState) -> None:
    await conn.execute(
        "UPDATE contact_codes SET failed_attempts = $2, locked = $3 WHERE request_id = $1",
        request_id, state.failed_attempts, state.locked)


async def replace(conn: asyncpg.Connection, request_id: uuid.UUID, state: CodeState) -> None:
    """A new code for the same request: the old one stops working, the attempts start over."""
    await conn.execute(
        "UPDATE contact_codes SET code_hash = $2, code_issued_at = $3, code_expires_at = $4,"
        " failed_attempts = 0, locked = false WHERE request_id = $1",
        request_id, state.code_hash, state.issued_at, state.expires_at)
