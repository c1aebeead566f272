"""The branch officer's side of requests: the review queue and decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from common.errors import Conflict, InvalidInput
from services.membership.domain.audit import Action
from services.membership.domain.calendar import local_date
from services.membership.domain.decisions import Decision
from services.membership.domain.requests import Kind, Status, officer_effective_date
from services.membership.handlers import applying, audit
from services.membership.handlers.commands import DecideRequest
from services.membership.store import requests


async def review_queue(pool: asyncpg.Pool, officer: str, *,
                       now: datetime) -> list[dict[str, Any]]:
    """The officer's branch's requests a person must look at, oldest first, with who asked:
    each a read of that member's record, audited with the read."""
    async with pool.acquire() as conn, conn.transaction():
        desk = await audit.active_staff(conn, officer)
        rows = await requests.review_queue(conn, desk["branch"])
        await audit.record(conn, desk, Action.READ_REVIEW_QUEUE,
                           [(r["member_id"], str(r["request_id"])) for r in rows], now=now)
    return [dict(r) for r in rows]


def _decision(cmd: DecideRequest, kind: Kind, today) -> tuple[Decision, list[Status]]:
    if cmd.approve:
        effective = officer_effective_date(kind, today)
        return Decision.approve(effective), [
            Status.APPROVED, Status.SCHEDULED if effective > today else Status.APPLIED]
    if not (cmd.reason_en and cmd.reason_id):
        raise InvalidInput("reason_required",
                           "A rejection needs a reason in English and Indonesian.",
                           "Penolakan wajib disertai alasan (Inggris dan Indonesia).",
                           field="reason_id")
    return Decision.reject("officer_rejected", cmd.reason_en, cmd.reason_id), [Status.REJECTED]


async def decide_request(conn: asyncpg.Connection, cmd: DecideRequest, *,
                         now: datetime) -> dict[str, Any]:
    """An officer approves (effective by the kind's rule) or rejects a request in review of a
    member of their branch."""
    today = local_date(now)
    req = await requests.for_update(conn, cmd.request_id)
    desk = await audit.active_staff(conn, cmd.officer)
    if req is not None:
        await audit.ensure_own_branch(conn, desk, req["member_id"])
        audit.ensure_may_work(desk, req["assigned_to"])
    if req is None or req["status"] != Status.CHECKING:
        raise Conflict("request_not_in_review", "This request is not waiting for review.",
                       "Permintaan ini tidak sedang menunggu pemeriksaan.")
    decision, statuses = _decision(cmd, Kind(req["kind"]), today)
    try:
        # A savepoint round approving and applying: either both happen, or neither does and
        # the request is rejected by the rule that stopped it (never half-applied, never 500).
        async with conn.transaction():
            last = await requests.move(conn, req, statuses, now, decision=decision,
                                       decided_by=f"officer:{cmd.officer}")
            if last is Status.APPLIED:
                await applying.apply(conn, req, today)
    except applying.CannotApply as refused:
        decision = refused.decision
        last = await requests.move(conn, req, [Status.REJECTED], now, decision=decision,
                                   decided_by=f"officer:{cmd.officer}")
    await audit.record(conn, desk, Action.DECIDE_REQUEST,
                       [(req["member_id"], str(cmd.request_id))], now=now)
    answer = {"request_id": str(cmd.request_id), "status": last.value,
              "effective_date": decision.effective_date}
    if last is Status.REJECTED:
        answer |= {"rule": decision.rule, "reason_en": decision.reason_en,
                   "reason_id": decision.reason_id}
    return answer
