"""Complaints (pengaduan): filed by members, answered by the branch within a target time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from prometheus_client import Counter

from common.errors import Conflict, NotFound
from contracts import events
from services.membership.domain import complaints as rules
from services.membership.domain.audit import Action
from services.membership.handlers import audit
from services.membership.handlers.commands import AnswerComplaint, FileComplaint
from services.membership.store import complaints
from services.membership.store.events import stage
from services.membership.tokens import AccessClaims

ANSWERED = Counter("complaints_answered_total", "Complaints answered", ["category", "on_time"])


async def file_complaint(conn: asyncpg.Connection, cmd: FileComplaint, *,
                         now: datetime) -> dict[str, Any]:
    """File a complaint; the answer is due within the category's target time."""
    text = rules.check_text(cmd.text)
    due = rules.due_at(cmd.category, now)
    ticket = rules.ticket_number(now, (await complaints.next_seq(conn)) % 999_999 or 999_999)
    row = await complaints.insert(conn, ticket=ticket, member_id=cmd.member.member_id,
                                  category=cmd.category, text=text, filed_at=now, due_at=due)
    await stage(conn, events.ComplaintFiled(ticket_number=ticket, member_id=cmd.member.member_id,
                                            category=cmd.category, due_at=due),
                str(cmd.member.member_id))
    return dict(row)


async def my_complaints(conn: asyncpg.Connection, who: AccessClaims) -> list[dict[str, Any]]:
    return [dict(r) for r in await complaints.of_member(conn, who.member_id)]


async def my_complaint(conn: asyncpg.Connection, who: AccessClaims,
                       ticket: str) -> dict[str, Any]:
    row = await complaints.one_of_member(conn, who.member_id, ticket)
    if row is None:
        raise NotFound("complaint_not_found", "No such complaint.",
                       "Pengaduan tidak ditemukan.")
    return dict(row)


async def complaint_queue(pool: asyncpg.Pool, officer: str, *,
                          now: datetime) -> list[dict[str, Any]]:
    """The officer's branch's open complaints, the most urgent first: each a read of that
    member's record, audited with the read."""
    async with pool.acquire() as conn, conn.transaction():
        desk = await audit.active_staff(conn, officer)
        rows = await complaints.open_queue(conn, desk["branch"])
        await audit.record(conn, desk, Action.READ_COMPLAINTS,
                           [(r["member_id"], r["ticket_number"]) for r in rows], now=now)
    return [dict(r) for r in rows]


async def answer_complaint(conn: asyncpg.Connection, cmd: AnswerComplaint, *,
                           now: datetime) -> dict[str, Any]:
    """An officer answers an open complaint of a member of their branch; the member is told."""
    desk = await audit.active_staff(conn, cmd.officer)
    found = await complaints.for_update(conn, cmd.ticket)
    if found is None:
        raise NotFound("complaint_not_found", "No such complaint.",
                       "Pengaduan tidak ditemukan.", field="ticket")
    member_id = found["member_id"]
    await audit.ensure_own_branch(conn, desk, member_id)
    audit.ensure_may_work(desk, found["assigned_to"])
    row = await complaints.answer(conn, cmd.ticket, cmd.text, cmd.officer, now)
    if row is None:
        raise Conflict("complaint_not_open", "This complaint is not open.",
                       "Pengaduan ini tidak dalam status terbuka.")
    await audit.record(conn, desk, Action.ANSWER_COMPLAINT, [(member_id, cmd.ticket)], now=now)
    on_time = rules.answered_within_target(now, row["due_at"])
    await stage(conn, events.ComplaintAnswered(ticket_number=cmd.ticket,
                                               member_id=row["member_id"],
                                               within_target=on_time), str(row["member_id"]))
    # Counted before commit: a rare rollback after this line over-counts by one.
    ANSWERED.labels(row["category"], str(on_time).lower()).inc()
    return {"ticket_number": cmd.ticket, "status": "answered", "within_target": on_time}
