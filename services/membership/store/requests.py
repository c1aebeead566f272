"""Followable requests: open one, move it through its statuses, keep its timeline, find it.

Every status change is one timeline row and one MemberRequestUpdated event in the caller's
transaction, so what the member reads, what notify says and what happened never disagree.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from contracts import events
from services.membership.domain.assisted import KIOSK, OnBehalf
from services.membership.domain.decisions import Decision
from services.membership.domain.requests import Kind, Status, check_transition
from services.membership.store.events import stage, stage_many

Row = asyncpg.Record
# The partial unique indexes that say "one open request of a kind" (per family for classes).
ONE_OPEN = frozenset({"requests_one_open_per_member", "requests_one_open_class_change"})


class RequestOpen(Exception):
    """The member (or the family, for a class change) already has an open request of this kind."""


async def open_request(
    conn: asyncpg.Connection, *, member_id: uuid.UUID, family_id: str, kind: Kind,
    details: dict[str, Any], now: datetime, on_behalf: OnBehalf | None = None,
) -> Row:
    """Create a request in status `received` (started at the kiosk when `on_behalf` names the
    officer and session); raises RequestOpen if one of its kind is open."""
    staff_id, session_id = (on_behalf.staff_id, on_behalf.session_id) if on_behalf else (None,
                                                                                        None)
    try:
        async with conn.transaction():  # a savepoint: the unique violation must not doom the caller
            req = await conn.fetchrow(
                "INSERT INTO requests (request_id, member_id, family_id, kind, status, details,"
                " created_at, updated_at, channel, on_behalf_by, assisted_session)"
                " VALUES ($1, $2, $3, $4, 'received', $5, $6, $6, $7, $8, $9) RETURNING *",
                uuid.uuid4(), member_id, family_id, kind.value, details, now,
                KIOSK if on_behalf else "app", staff_id, session_id)
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name in ONE_OPEN:
            raise RequestOpen(kind.value) from None
        raise
    await conn.execute(
        "INSERT INTO request_timeline (request_id, seq, status, at) VALUES ($1, 1, $2, $3)",
        req["request_id"], Status.RECEIVED.value, now)
    await stage(conn, events.MemberRequestUpdated(
        request_id=req["request_id"], member_id=member_id, kind=kind.value, status="received",
    ), str(member_id))
    return req


async def for_update(conn: asyncpg.Connection, request_id: uuid.UUID) -> Row | None:
    return await conn.fetchrow("SELECT * FROM requests WHERE request_id = $1 FOR UPDATE",
                               request_id)


async def assign(conn: asyncpg.Connection, request_id: uuid.UUID, staff_id: uuid.UUID) -> None:
    await conn.execute("UPDATE requests SET assigned_to = $2 WHERE request_id = $1",
                       request_id, staff_id)


async def open_of_kind_for_update(conn: asyncpg.Connection, member_id: uuid.UUID,
                                  kind: Kind) -> Row | None:
    """The member's open request of `kind` (at most one), locked."""
    return await conn.fetchrow(
        "SELECT * FROM requests WHERE member_id = $1 AND kind = $2"
        " AND status IN ('received', 'checking', 'approved', 'scheduled') FOR UPDATE",
        member_id, kind.value)


async def move(
    conn: asyncpg.Connection, req: Row, statuses: list[Status], now: datetime, *,
    decision: Decision | None = None, effective_date: date | None = None,
    decided_by: str | None = None,
) -> Status:
    """Advance a locked request through `statuses`; returns the last one."""
    current = Status(req["status"])
    effective = effective_date or (decision.effective_date if decision else None)
    staged = []
    for status in statuses:
        check_transition(current, status)
        current = status
        rejected = status is Status.REJECTED and decision is not None
        staged.append((events.MemberRequestUpdated(
            request_id=req["request_id"], member_id=req["member_id"], kind=req["kind"],
            status=status.value, effective_date=effective,
            rule=decision.rule if rejected else None,
            reason_en=decision.reason_en if rejected else None,
            reason_id=decision.reason_id if rejected else None,
        ), str(req["member_id"])))
    # One round trip each for the timeline rows and their events, whatever their number.
    await conn.execute(
        "INSERT INTO request_timeline (request_id, seq, status, at)"
        " SELECT $1, base.n + s.i, s.status, $3 FROM"
        " (SELECT COALESCE(max(seq), 0) AS n FROM request_timeline WHERE request_id = $1) base,"
        " unnest($2::text[]) WITH ORDINALITY AS s(status, i)",
        req["request_id"], [st.value for st in statuses], now,
    )
    await stage_many(conn, staged)
    await conn.execute(
        "UPDATE requests SET status = $2, effective_date = COALESCE($3, effective_date),"
        " rule = CASE WHEN $9 THEN $4 ELSE rule END,"
        " reason_en = CASE WHEN $9 THEN $5 ELSE reason_en END,"
        " reason_id = CASE WHEN $9 THEN $6 ELSE reason_id END,"
        " decided_by = COALESCE($7, decided_by), updated_at = $8 WHERE request_id = $1",
        req["request_id"], current.value, effective,
        decision.rule if decision else None, decision.reason_en if decision else None,
        decision.reason_id if decision else None, decided_by, now, decision is not None,
    )
    return current


async def of_member(conn: asyncpg.Connection, member_id: uuid.UUID,
                    request_id: uuid.UUID | None = None, limit: int = 100) -> list[Row]:
    """A member's requests, newest first (or the one named), never another member's."""
    return await conn.fetch(
        "SELECT * FROM requests WHERE member_id = $1 AND ($2::uuid IS NULL OR request_id = $2)"
        " ORDER BY created_at DESC LIMIT $3", member_id, request_id, limit)


async def timelines(conn: asyncpg.Connection,
                    request_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Row]]:
    """Each request's timeline, in order, in one round trip."""
    rows = await conn.fetch(
        "SELECT request_id, status, at FROM request_timeline"
        " WHERE request_id = ANY($1::uuid[]) ORDER BY request_id, seq", request_ids)
    out: dict[uuid.UUID, list[Row]] = {rid: [] for rid in request_ids}
    for r in rows:
        out[r["request_id"]].append(r)
    return out


async def review_queue(conn: asyncpg.Connection, branch: str, limit: int = 200) -> list[Row]:
    """Requests of the branch's members a person must look at, oldest first, with who asked."""
    return await conn.fetch(
        "SELECT r.request_id, r.member_id, r.kind, r.details, r.rule, r.reason_en,"
        " r.created_at, p.card_number, p.full_name, p.segment, s.username AS assignee"
        " FROM requests r JOIN participants p USING (member_id)"
        " JOIN branch_regencies b ON b.regency_code = left(p.district_code, 4)"
        " LEFT JOIN staff s ON s.staff_id = r.assigned_to"
        " WHERE r.status = 'checking' AND b.branch = $1 ORDER BY r.created_at LIMIT $2",
        branch, limit)


async def due_for_update(conn: asyncpg.Connection, today: date, limit: int) -> list[Row]:
    """Scheduled requests due by today, locked; SKIP LOCKED lets instances share the work."""
    return await conn.fetch(
        "SELECT * FROM requests WHERE status = 'scheduled' AND effective_date <= $1"
        " ORDER BY effective_date, created_at LIMIT $2 FOR UPDATE SKIP LOCKED", today, limit)
