"""Staff accounts: login lookups and what an admin's CLI changes."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

Row = asyncpg.Record


async def login_row(conn: asyncpg.Connection, username: str) -> Row | None:
    """What a staff login needs: the hash, the role, the branch and whether it is disabled."""
    return await conn.fetchrow(
        "SELECT password_hash, role, branch, disabled_at FROM staff WHERE username = $1",
        username)


async def insert(conn: asyncpg.Connection, username: str, full_name: str, role: str,
                 branch: str | None, password_hash: str) -> uuid.UUID | None:
    """A new account; None if the username is taken."""
    return await conn.fetchval(
        "INSERT INTO staff (staff_id, username, full_name, role, branch, password_hash)"
        " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username) DO NOTHING RETURNING staff_id",
        uuid.uuid4(), username, full_name, role, branch, password_hash)


async def disable(conn: asyncpg.Connection, username: str, now: datetime) -> datetime | None:
    """Disable an account (a second time keeps the first time): when it was disabled; None if
    there is none."""
    return await conn.fetchval(
        "UPDATE staff SET disabled_at = coalesce(disabled_at, $2) WHERE username = $1"
        " RETURNING disabled_at", username, now)


async def disabled_since(conn: asyncpg.Connection | asyncpg.Pool, since: datetime) -> set[str]:
    """Accounts disabled since `since` (older ones have no live staff token left)."""
    rows = await conn.fetch("SELECT username FROM staff WHERE disabled_at > $1", since)
    return {r["username"] for r in rows}


async def set_password(conn: asyncpg.Connection, username: str, password_hash: str) -> bool:
    """Replace an account's password; False if there is none."""
    return await conn.fetchval(
        "UPDATE staff SET password_hash = $2 WHERE username = $1 RETURNING true",
        username, password_hash) is not None


async def active(conn: asyncpg.Connection | asyncpg.Pool, username: str) -> Row | None:
    """The id, role and branch of an account that is not disabled (a token may outlive its
    account's disabling)."""
    return await conn.fetchrow(
        "SELECT staff_id, role, branch FROM staff WHERE username = $1 AND disabled_at IS NULL",
        username)


async def member_branch(conn: asyncpg.Connection, member_id: uuid.UUID) -> str | None:
    """The branch serving the member (by the regency they live in); None if no branch does."""
    return await conn.fetchval(
        "SELECT b.branch FROM participants p JOIN branch_regencies b"
        " ON b.regency_code = left(p.district_code, 4) WHERE p.member_id = $1", member_id)
