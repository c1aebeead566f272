"""Complaints (pengaduan): filed by members, answered by the branch within a target time."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter

from common.problems import Problem
from common.runtime import Runtime
from contracts import events
from services.membership.domain import complaints as rules
from services.membership.domain.errors import RuleViolation
from services.membership.lifecycle import stage
from services.membership.results import Result, violation
from services.membership.tokens import AccessClaims

ANSWERED = Counter("complaints_answered_total", "Complaints answered", ["category", "on_time"])
COLUMNS = ("ticket_number, category, text, status, filed_at, due_at, answer, answered_at,"
           " (status = 'open' AND due_at < now()) AS overdue")


async def file(rt: Runtime, who: AccessClaims, cmd) -> Result:
    now = rt.clock.now()
    try:
        text = rules.check_text(cmd.text)
        due = rules.due_at(cmd.category, now)
    except RuleViolation as v:
        raise violation(v) from None
    async with rt.pool.acquire() as conn, conn.transaction():
        # Sequence numbers stay unique across days; the ticket shows the WIB filing date.
        seq = await conn.fetchval("SELECT nextval('complaint_seq')")
        ticket = rules.ticket_number(now, seq % 999_999 or 999_999)
        await conn.execute(
            "INSERT INTO complaints (ticket_number, member_id, category, text, filed_at, due_at)"
            " VALUES ($1, $2, $3, $4, $5, $6)", ticket, who.member_id, cmd.category, text, now, due)
        await stage(conn, events.ComplaintFiled(ticket_number=ticket, member_id=who.member_id,
                                                category=cmd.category, due_at=due),
                    str(who.member_id))
        row = await conn.fetchrow(f"SELECT {COLUMNS} FROM complaints WHERE ticket_number = $1",
                                  ticket)
    return Result(201, dict(row))


async def mine(rt: Runtime, who: AccessClaims) -> list[dict[str, Any]]:
    rows = await rt.pool.fetch(
        f"SELECT {COLUMNS} FROM complaints WHERE member_id = $1 ORDER BY filed_at DESC LIMIT 100",
        who.member_id)
    return [dict(r) for r in rows]


async def one(rt: Runtime, who: AccessClaims, ticket: str) -> dict[str, Any]:
    row = await rt.pool.fetchrow(
        f"SELECT {COLUMNS} FROM complaints WHERE ticket_number = $1 AND member_id = $2",
        ticket, who.member_id)
    if row is None:
        raise Problem(404, "complaint_not_found", "No such complaint.",
                      detail_id="Pengaduan tidak ditemukan.")
    return dict(row)


async def queue(rt: Runtime) -> list[dict[str, Any]]:
    """Open complaints, the most urgent first, for the branch."""
    rows = await rt.pool.fetch(
        f"SELECT {COLUMNS}, member_id FROM complaints WHERE status = 'open'"
        " ORDER BY due_at LIMIT 200")
    return [dict(r) for r in rows]


async def answer(rt: Runtime, officer: str, ticket: str, text: str) -> dict[str, Any]:
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        row = await conn.fetchrow(
            "UPDATE complaints SET status = 'answered', answer = $2, answered_by = $3,"
            " answered_at = $4 WHERE ticket_number = $1 AND status = 'open'"
            " RETURNING member_id, category, due_at", ticket, text, officer, now)
        if row is None:
            raise Problem(409, "complaint_not_open", "This complaint is not open.",
                          detail_id="Pengaduan ini tidak dalam status terbuka.")
        on_time = now <= row["due_at"]
        await stage(conn, events.ComplaintAnswered(ticket_number=ticket,
                                                   member_id=row["member_id"],
                                                   within_target=on_time),
                    str(row["member_id"]))
    ANSWERED.labels(row["category"], str(on_time).lower()).inc()
    return {"ticket_number": ticket, "status": "answered", "within_target": on_time}
