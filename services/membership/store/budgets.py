"""Counters that hold back repeated attempts: failed logins per username, codes per person and
per destination. Keyed hashes only: these tables name nobody."""

from __future__ import annotations

from datetime import datetime

import asyncpg


async def login_lock(conn: asyncpg.Connection, subject: str) -> datetime | None:
    """Until when logins with this username wait (None: they do not)."""
    return await conn.fetchval("SELECT locked_until FROM login_throttle WHERE subject = $1",
                               subject)


async def count_login_failure(conn: asyncpg.Connection, subject: str) -> int:
    """One more wrong password in a row; returns the streak (atomic under concurrent tries)."""
    return await conn.fetchval(
        "INSERT INTO login_throttle (subject, failures) VALUES ($1, 1) ON CONFLICT (subject)"
        " DO UPDATE SET failures = login_throttle.failures + 1, last_failure_at = now()"
        " RETURNING failures", subject)


async def lock_login(conn: asyncpg.Connection, subject: str, until: datetime) -> None:
    await conn.execute("UPDATE login_throttle SET locked_until = $2 WHERE subject = $1",
                       subject, until)


async def clear_login_failures(conn: asyncpg.Connection, subject: str) -> None:
    await conn.execute("DELETE FROM login_throttle WHERE subject = $1", subject)


async def lock_code_budget(conn: asyncpg.Connection, *keys: str) -> None:
    """Serialise code issuing per person and per destination until this transaction ends (in a
    fixed order, so two issuers never wait on each other crosswise)."""
    for key in sorted(set(keys)):
        await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key)


async def codes_issued(conn: asyncpg.Connection, column: str, key: str, since: datetime
                       ) -> list[datetime]:
    """When codes went to this person (`member_hash`) or destination (`dest_hash`) since."""
    col = {"member_hash": "member_hash", "dest_hash": "dest_hash"}[column]
    rows = await conn.fetch(
        f"SELECT issued_at FROM code_issues WHERE {col} = $1 AND issued_at > $2", key, since)
    return [r["issued_at"] for r in rows]


async def record_code(conn: asyncpg.Connection, member_hash: str, dest_hash: str,
                      now: datetime) -> None:
    await conn.execute(
        "INSERT INTO code_issues (member_hash, dest_hash, issued_at) VALUES ($1, $2, $3)",
        member_hash, dest_hash, now)

