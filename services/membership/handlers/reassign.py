"""A supervisor gives a request in review or an open complaint of the branch to one officer
(or supervisor) of the branch; from then on only they, or a supervisor, decide or answer it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from common.errors import Conflict, NotFound
from services.membership.domain import staff as rules
from services.membership.domain.audit import Action
from services.membership.domain.requests import Status
from services.membership.handlers import audit
from services.membership.handlers.commands import Reassign
from services.membership.store import complaints, requests, staff


async def _assignee(conn: asyncpg.Connection, desk: asyncpg.Record, username: str):
    target = await staff.active(conn, username)
    if target is None:
        raise NotFound("staff_not_found", "There is no active staff account with that username.",
                       "Tidak ada akun staf aktif dengan nama pengguna itu.", field="assignee")
    rules.assignee_fits(desk["branch"], target["role"], target["branch"])
    return target


async def reassign(conn: asyncpg.Connection, cmd: Reassign, *, now: datetime) -> dict[str, Any]:
    """Assign the request (`request_id`) or the complaint (`ticket`) the command names."""
    desk = await audit.active_staff(conn, cmd.supervisor)
    target = await _assignee(conn, desk, cmd.assignee)
    if cmd.request_id is not None:
        req = await requests.for_update(conn, cmd.request_id)
        if req is None:
            raise NotFound("request_not_found", "No such request.", "Permintaan tidak ditemukan.")
        await audit.ensure_own_branch(conn, desk, req["member_id"])
        if req["status"] != Status.CHECKING:
            raise Conflict("request_not_in_review", "This request is not waiting for review.",
                           "Permintaan ini tidak sedang menunggu pemeriksaan.")
        await requests.assign(conn, cmd.request_id, target["staff_id"])
        member_id, subject = req["member_id"], str(cmd.request_id)
    else:
        found = await complaints.for_update(conn, cmd.ticket)
        if found is None:
            raise NotFound("complaint_not_found", "No such complaint.",
                           "Pengaduan tidak ditemukan.", field="ticket")
        await audit.ensure_own_branch(conn, desk, found["member_id"])
        if found["status"] != "open":
            raise Conflict("complaint_not_open", "This complaint is not open.",
                           "Pengaduan ini tidak dalam status terbuka.")
        await complaints.assign(conn, cmd.ticket, target["staff_id"])
        member_id, subject = found["member_id"], cmd.ticket
    await audit.record(conn, desk, Action.REASSIGN, [(member_id, subject)], now=now)
    return {"assignee": cmd.assignee, "subject": subject}
