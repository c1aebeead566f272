"""The staff audit's use cases: record what staff do (in the transaction of the thing done),
a supervisor's search, and a member's access log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from common.errors import Forbidden, Unauthenticated
from services.membership.domain import audit as rules
from services.membership.domain import staff as staff_rules
from services.membership.domain.calendar import WIB
from services.membership.handlers.queries import AccessLogPage, SearchAudit
from services.membership.store import audit, staff
from services.membership.store.staff import Row
from services.membership.tokens import AccessClaims


async def active_staff(conn: asyncpg.Connection | asyncpg.Pool, username: str) -> Row:
    """The account doing this (id, role, branch), refused (401) once disabled even if its
    token has not expired."""
    desk = await staff.active(conn, username)
    if desk is None:
        raise Unauthenticated("staff_account_inactive", "This staff account is disabled.",
                              "Akun staf ini dinonaktifkan.")
    return desk


async def ensure_own_branch(conn: asyncpg.Connection, desk: Row, member_id: uuid.UUID) -> None:
    """403 other_branch unless the member is one of the account's branch's."""
    if await staff.member_branch(conn, member_id) != desk["branch"]:
        raise Forbidden("other_branch", "This member is served by another branch.",
                        "Peserta ini dilayani oleh cabang lain.")


def ensure_may_work(desk: Row, assigned_to: uuid.UUID | None) -> None:
    """403 assigned_to_another unless the work is unassigned, the account's, or it supervises."""
    if not staff_rules.may_work(desk["role"], desk["staff_id"], assigned_to):
        raise Forbidden("assigned_to_another", "A supervisor gave this to another officer.",
                        "Supervisor telah mengalihkan ini ke petugas lain.")


async def record(conn: asyncpg.Connection, desk: Row, action: rules.Action,
                 entries: list[tuple[uuid.UUID | None, str | None]], *, now: datetime) -> None:
    """Audit `action` by the account `desk` on each (member id, subject) of `entries`."""
    await audit.record(conn, desk["staff_id"], action, rules.reason(action), entries, now)


async def search(conn: asyncpg.Pool | asyncpg.Connection, supervisor: str,
                 q: SearchAudit) -> dict[str, Any]:
    """A supervisor's page of the audit, newest first, and the cursor of the next page."""
    await active_staff(conn, supervisor)
    limit = rules.page_size(q.limit)
    action = rules.action(q.action)
    rows = await audit.search(conn, staff=q.staff, member_id=q.member_id, action=action,
                              since=q.since, until=q.until, before=q.before, limit=limit,
                              zone=str(WIB))
    return _page([dict(r) for r in rows], limit)


async def access_log(conn: asyncpg.Pool | asyncpg.Connection, who: AccessClaims,
                     q: AccessLogPage) -> dict[str, Any]:
    """Who at the branch looked at or acted on my record, when and why, newest first."""
    limit = rules.page_size(q.limit)
    rows = await audit.access_log(conn, who.member_id, q.before, limit)
    items = []
    for r in rows:
        why_en, why_id = rules.described(r["action"])
        items.append({"audit_id": r["audit_id"], "at": r["at"], "action": r["action"],
                      "why_en": why_en, "why_id": why_id, "officer": r["staff_name"],
                      "branch": r["branch"]})
    return _page(items, limit)


def _page(items: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    return {"items": items,
            "next_before": items[-1]["audit_id"] if len(items) == limit else None}
