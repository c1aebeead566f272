"""Complaints and their answers."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

Row = asyncpg.Record
COLUMNS = ("ticket_number, category, text, status, filed_at, due_at, answer, answered_at,"
           " (status = 'open' AND due_at < now()) AS overdue")


async def next_seq(conn: asyncpg.Connection) -> int:
    """Unique across days; the ticket shows the WIB filing date with it."""
    return await conn.fetchval("SELECT nextval('complaint_seq')")


async def insert(conn: asyncpg.Connection, *, ticket: str, member_id: uuid.UUID, category: str,
                 text: str, filed_at: datetime, due_at: datetime) -> Row:
    """File a complaint; returns it as the member sees it."""
    return await conn.fetchrow(
        "INSERT INTO complaints (ticket_number, member_id, category, text, filed_at, due_at)"
        f" VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}",
        ticket, member_id, category, text, filed_at, due_at)


async def of_member(conn: asyncpg.Connection, member_id: uuid.UUID,
                    limit: int = 100) -> list[Row]:
    return await conn.fetch(
        f"SELECT {COLUMNS} FROM complaints WHERE member_id = $1 ORDER BY filed_at DESC"
        " LIMIT $2", member_id, limit)


async def one_of_member(conn: asyncpg.Connection, member_id: uuid.UUID,
                        ticket: str) -> Row | None:
    return await conn.fetchrow(
        f"SELECT {COLUMNS} FROM complaints WHERE ticket_number = $1 AND member_id = $2",
        ticket, member_id)


async def open_queue(conn: asyncpg.Connection, branch: str, limit: int = 200) -> list[Row]:
    """Open complaints of the branch's members, the most urgent first."""
    return await conn.fetch(
        f"SELECT {COLUMNS}, member_id, (SELECT username FROM staff"
        " WHERE staff_id = c.assigned_to) AS assignee FROM complaints c"
        " WHERE status = 'open' AND EXISTS"
        " (SELECT 1 FROM participants p JOIN branch_regencies b"
        " ON b.regency_code = left(p.district_code, 4)"
        " WHERE p.member_id = c.member_id AND b.branch = $1)"
        " ORDER BY due_at LIMIT $2", branch, limit)


async def for_update(conn: asyncpg.Connection, ticket: str) -> Row | None:
    """Whose complaint the ticket is, its status and assignee, locked; None if there is none."""
    return await conn.fetchrow("SELECT member_id, status, assigned_to FROM complaints"
                               " WHERE ticket_number = $1 FOR UPDATE", ticket)


async def assign(conn: asyncpg.Connection, ticket: str, staff_id: uuid.UUID) -> None:
    await conn.execute("UPDATE complaints SET assigned_to = $2 WHERE ticket_number = $1",
                       ticket, staff_id)


async def answer(conn: asyncpg.Connection, ticket: str, text: str, officer: str,
                 now: datetime) -> Row | None:
    """Answer an open complaint; None if it is not open (answered already, or no such ticket)."""
    return await conn.fetchrow(
        "UPDATE complaints SET status = 'answered', answer = $2, answered_by = $3,"
        " answered_at = $4 WHERE ticket_number = $1 AND status = 'open'"
        " RETURNING member_id, category, due_at", ticket, text, officer, now)
