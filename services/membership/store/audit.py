"""The staff audit: entries written in the transaction of what they record, and the two ways
to read them (a supervisor's search, a member's access log)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

Row = asyncpg.Record


async def record(conn: asyncpg.Connection, staff_id: uuid.UUID, action: str, reason: str,
                 entries: list[tuple[uuid.UUID | None, str | None]], now: datetime) -> None:
    """One entry per (member id, subject), in one statement."""
    if not entries:
        return
    members, subjects = zip(*entries, strict=True)
    await conn.execute(
        "INSERT INTO staff_audit (staff_id, action, member_id, subject, reason, at)"
        " SELECT $1, $2, m, s, $3, $4 FROM unnest($5::uuid[], $6::text[]) AS e(m, s)",
        staff_id, action, reason, now, list(members), list(subjects))


async def search(conn: asyncpg.Connection | asyncpg.Pool, *, staff: str | None,
                 member_id: uuid.UUID | None, action: str | None, since: date | None,
                 until: date | None, before: int | None, limit: int, zone: str) -> list[Row]:
    """Entries matching every filter given, newest first, `limit` of them from before the
    audit id `before`; dates are local days in `zone`."""
    return await conn.fetch(
        "SELECT a.audit_id, s.username AS staff, s.full_name AS staff_name, s.role,"
        " s.branch, a.action, a.member_id, a.subject, a.reason, a.at"
        " FROM staff_audit a JOIN staff s USING (staff_id)"
        " WHERE ($1::text IS NULL OR s.username = $1)"
        " AND ($2::uuid IS NULL OR a.member_id = $2)"
        " AND ($3::text IS NULL OR a.action = $3)"
        " AND ($4::date IS NULL OR (a.at AT TIME ZONE $8)::date >= $4)"
        " AND ($5::date IS NULL OR (a.at AT TIME ZONE $8)::date <= $5)"
        " AND ($6::bigint IS NULL OR a.audit_id < $6)"
        " ORDER BY a.audit_id DESC LIMIT $7",
        staff, member_id, action, since, until, before, limit, zone)


async def access_log(conn: asyncpg.Connection | asyncpg.Pool, member_id: uuid.UUID,
                     before: int | None, limit: int) -> list[Row]:
    """Who at the branch touched this member's record: display name and branch, never the
    username (an account's handle is the platform's, not the member's business)."""
    return await conn.fetch(
        "SELECT a.audit_id, a.action, a.at, s.full_name AS staff_name, s.branch"
        " FROM staff_audit a JOIN staff s USING (staff_id)"
        " WHERE a.member_id = $1 AND ($2::bigint IS NULL OR a.audit_id < $2)"
        " ORDER BY a.audit_id DESC LIMIT $3", member_id, before, limit)
