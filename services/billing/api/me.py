"""The member's bills and payments: the family's bill view, in-app payment intents, the
autodebit mandate and REHAB instalment plans."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from common.idempotency import Answer
from services.billing.api.deps import Db, Guarded, Member, Now, SettingsDep
from services.billing.api.schemas import AutodebitCreate, RehabPlanCreate
from services.billing.handlers import autodebit, commands, intents, queries, rehab

router = APIRouter(prefix="/v1/me", tags=["member"])


@router.get("/bills")
async def my_bills(who: Member, db: Db, now: Now):
    """The family's current bill, arrears by month, history, `amount_due` and `va`."""
    return await queries.my_bills(db, who, now=now)


@router.post("/payments", status_code=201)
async def start_payment(who: Member, guard: Guarded, now: Now):
    """Pay in the app: an intent for the amount due, on the family's VA, until it expires."""
    cmd = commands.StartPayment(who)

    async def started(conn) -> Answer:
        intent = await intents.start_payment(conn, cmd, now=now)
        return Answer(201, intent, {"Location": intent["links"]["self"]})
    return await guard.run(None, started)


@router.get("/payments/{intent_id}")
async def my_payment(intent_id: uuid.UUID, who: Member, db: Db, now: Now):
    """One intent and whether the bank has paid it."""
    return await intents.my_payment(db, who, intent_id, now=now)


@router.post("/autodebit", status_code=201)
async def register_autodebit(body: AutodebitCreate, who: Member, guard: Guarded, now: Now,
                             s: SettingsDep):
    """Collect the family's bills from a bank account (kept masked and sealed)."""
    cmd = commands.RegisterAutodebit(who, body.bank, body.account_number)
    return await guard.run(body, lambda conn: autodebit.register_autodebit(
        conn, cmd, now=now, seal_key=s.seal_key), status=201)


@router.get("/autodebit")
async def my_autodebit(who: Member, db: Db):
    """The active mandate and the bank's latest answers."""
    return await autodebit.my_autodebit(db, who)


@router.delete("/autodebit")
async def cancel_autodebit(who: Member, guard: Guarded, now: Now):
    """Stop collecting; bills are then paid through the VA."""
    cmd = commands.CancelAutodebit(who)
    return await guard.run(None, lambda conn: autodebit.cancel_autodebit(conn, cmd, now=now))


@router.post("/rehab-plans", status_code=201)
async def take_rehab_plan(body: RehabPlanCreate, who: Member, guard: Guarded, now: Now):
    """Spread 4-24 months of arrears over up to 12 monthly parts (PBPU/BP families)."""
    cmd = commands.TakeRehabPlan(who, body.parts)
    return await guard.run(body, lambda conn: rehab.take_rehab_plan(conn, cmd, now=now),
                           status=201)


@router.get("/rehab-plans")
async def my_rehab_plan(who: Member, db: Db):
    """The family's latest plan and its parts."""
    return await rehab.my_rehab_plan(db, who)
