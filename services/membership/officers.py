"""The branch officer's side: log in, the review queue, decisions."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from common.problems import Problem
from common.runtime import Runtime
from services.membership import effects, tokens
from services.membership.domain.calendar import first_of_next_month, local_date
from services.membership.domain.decisions import Decision
from services.membership.domain.requests import Status
from services.membership.lifecycle import load_for_update, move


async def login(rt: Runtime, username: str, password: str) -> dict[str, Any]:
    row = await rt.pool.fetchrow("SELECT password_hash FROM staff WHERE username = $1", username)
    ok = await asyncio.to_thread(tokens.check_password, row["password_hash"] if row else None,
                                 password)
    if not ok:
        raise Problem(401, "invalid_credentials", "Wrong username or password.",
                      detail_id="Nama pengguna atau kata sandi salah.")
    return {"access_token": tokens.issue_staff(rt.settings.jwt_secret, username, rt.clock.now()),
            "token_type": "bearer"}


async def review_queue(rt: Runtime) -> list[dict[str, Any]]:
    """Requests a person must look at, oldest first, with who asked."""
    rows = await rt.pool.fetch(
        "SELECT r.request_id, r.kind, r.details, r.rule, r.reason_en, r.created_at,"
        " p.card_number, p.full_name, p.segment FROM requests r JOIN participants p"
        " USING (member_id) WHERE r.status = 'checking' ORDER BY r.created_at LIMIT 200")
    return [dict(r) for r in rows]


def _effective(kind: str, today):
    # An FKTP change always starts on the 1st of a month; the rest take effect at once.
    return first_of_next_month(today) if kind == "faskes_change" else today


async def decide(rt: Runtime, officer: str, request_id: uuid.UUID, cmd) -> dict[str, Any]:
    now = rt.clock.now()
    today = local_date(now)
    async with rt.pool.acquire() as conn, conn.transaction():
        req = await load_for_update(conn, request_id)
        if req is None or req["status"] != Status.CHECKING:
            raise Problem(409, "request_not_in_review", "This request is not waiting for review.",
                          detail_id="Permintaan ini tidak sedang menunggu pemeriksaan.")
        if cmd.approve:
            effective = _effective(req["kind"], today)
            decision = Decision.approve(effective)
            statuses = [Status.APPROVED,
                        Status.SCHEDULED if effective > today else Status.APPLIED]
        else:
            if not (cmd.reason_en and cmd.reason_id):
                raise Problem(422, "reason_required",
                              "A rejection needs a reason in English and Indonesian.",
                              detail_id="Penolakan wajib disertai alasan (Inggris dan Indonesia).",
                              field="reason_id")
            decision = Decision.reject("officer_rejected", cmd.reason_en, cmd.reason_id)
            statuses = [Status.REJECTED]
        last = await move(conn, req, statuses, now, decision=decision,
                          decided_by=f"officer:{officer}")
        if last is Status.APPLIED:
            await effects.apply(conn, req, today)
    return {"request_id": str(request_id), "status": last.value,
            "effective_date": decision.effective_date}
