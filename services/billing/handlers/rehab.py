"""REHAB: a self-paying family spreads 4-24 months of arrears over up to 12 monthly parts.

Instalments are paid like any payment (settlement takes the money oldest month first); the
plan counts what arrives while it runs and marks its parts paid in order. Coverage follows the
bills (handlers/coverage.py): the family is active again once the arrears and the current
month are settled, which paying every part does (domain.rehab.plan_reactivates).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from common.errors import Conflict, NotFound
from common.member_tokens import AccessClaims
from services.billing.domain import arrears
from services.billing.domain import rehab as rules
from services.billing.domain.periods import Period, local_date
from services.billing.handlers.commands import TakeRehabPlan
from services.billing.handlers.members import family_payer
from services.billing.store import bills, payers
from services.billing.store import rehab as store


def _instalments(rows: list[asyncpg.Record]) -> list[rules.Instalment]:
    return [rules.Instalment(r["number"], Period.parse(r["period"]), r["due_date"], r["amount"])
            for r in rows]


async def _view(conn: asyncpg.Connection | asyncpg.Pool, plan: asyncpg.Record) -> dict[str, Any]:
    parts = await store.instalments(conn, plan["plan_id"])
    return {"plan_id": plan["plan_id"], "status": plan["status"],
            "arrears_total": plan["arrears_total"], "arrears_months": plan["arrears_months"],
            "paid_total": plan["paid_total"], "created_at": plan["created_at"],
            "completed_at": plan["completed_at"],
            "instalments": [{"number": r["number"], "period": r["period"],
                             "due_date": r["due_date"], "amount": r["amount"],
                             "paid": r["paid_at"] is not None} for r in parts]}


async def take_rehab_plan(conn: asyncpg.Connection, cmd: TakeRehabPlan, *,
                          now: datetime) -> dict[str, Any]:
    """A plan for the family's counted arrears in `parts` parts, from this or next month."""
    member = await family_payer(conn, cmd.who)
    payer = await payers.lock(conn, member["payer_kind"], member["payer_id"])
    today = local_date(now)
    open_bills = {Period.parse(r["period"]): r["amount"]
                  for r in await bills.open_bills(conn, payer["payer_kind"], payer["payer_id"])}
    counted = arrears.counted_arrears(open_bills, today)
    rules.check_eligible(member["segment"], len(counted))
    total = arrears.arrears_amount(open_bills, today)
    parts = rules.schedule(total, cmd.parts, rules.first_instalment_period(today))
    plan_id = uuid.uuid4()
    if not await store.insert(conn, plan_id=plan_id, payer_kind=payer["payer_kind"],
                              payer_id=payer["payer_id"], member_id=cmd.who.member_id,
                              arrears_total=total, arrears_months=len(counted), parts=parts,
                              now=now):
        raise Conflict("rehab_plan_open", "Your family already has an instalment plan.",
                       "Keluarga Anda sudah memiliki program REHAB.", field="parts")
    return await _view(conn, await store.active(conn, payer["payer_kind"], payer["payer_id"]))


async def count_payment(conn: asyncpg.Connection, payer_kind: str, payer_id: str, amount: int,
                        *, now: datetime) -> None:
    """Money arrived for a payer: a running plan counts it and marks its parts paid."""
    plan = await store.active(conn, payer_kind, payer_id)
    if plan is None:
        return
    paid_total = await store.add_paid(conn, plan["plan_id"], amount)
    parts = _instalments(await store.instalments(conn, plan["plan_id"]))
    paid = rules.instalments_paid(parts, paid_total)
    await store.mark_paid(conn, plan["plan_id"], paid, now)
    if paid == len(parts):
        await store.complete(conn, plan["plan_id"], now)


async def next_instalment(conn: asyncpg.Connection, payer_kind: str,
                          payer_id: str) -> int | None:
    """The amount of a running plan's next unpaid part (what the app offers); None if none."""
    plan = await store.active(conn, payer_kind, payer_id)
    if plan is None:
        return None
    parts = _instalments(await store.instalments(conn, plan["plan_id"]))
    paid = rules.instalments_paid(parts, plan["paid_total"])
    if paid == len(parts):
        return None
    # Money already paid beyond the whole parts counts towards the next one.
    covered = sum(p.amount for p in parts[:paid])
    return parts[paid].amount - (plan["paid_total"] - covered)


async def my_rehab_plan(conn: asyncpg.Connection | asyncpg.Pool,
                        who: AccessClaims) -> dict[str, Any]:
    """The family's latest plan (running or completed)."""
    member = await family_payer(conn, who)
    plan = await store.latest(conn, member["payer_kind"], member["payer_id"])
    if plan is None:
        raise NotFound("rehab_plan_none", "Your family has no instalment plan.",
                       "Keluarga Anda belum memiliki program REHAB.")
    return await _view(conn, plan)
