"""In-app payment: an intent for what is due now on the family's VA, settled by the bank's call
of exactly that amount (handlers/payments.py matches it)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from common.errors import NotFound, RuleViolated
from common.member_tokens import AccessClaims
from services.billing.domain import arrears
from services.billing.domain.payments import intent_expiry
from services.billing.domain.periods import Period, local_date
from services.billing.handlers import rehab
from services.billing.handlers.commands import StartPayment
from services.billing.handlers.members import family_payer
from services.billing.store import bills, intents, payers


def _view(row: asyncpg.Record, now: datetime) -> dict[str, Any]:
    status = row["status"]
    if status == "open" and row["expires_at"] <= now:
        status = "expired"
    return {"intent_id": row["intent_id"], "va": row["va"], "amount": row["amount"],
            "purpose": row["purpose"], "status": status, "created_at": row["created_at"],
            "expires_at": row["expires_at"], "payment_id": row["payment_id"],
            "links": {"self": f"/v1/me/payments/{row['intent_id']}"}}


async def start_payment(conn: asyncpg.Connection, cmd: StartPayment, *,
                        now: datetime) -> dict[str, Any]:
    """An intent for the amount due now (a running REHAB plan's next part instead); the
    family's earlier open intent is superseded, so the bank matches one amount."""
    member = await family_payer(conn, cmd.who)
    payer = await payers.lock(conn, member["payer_kind"], member["payer_id"])
    kind, payer_id = payer["payer_kind"], payer["payer_id"]
    amount, purpose = await rehab.next_instalment(conn, kind, payer_id), "rehab"
    if amount is None:
        open_bills = {Period.parse(r["period"]): r["amount"]
                      for r in await bills.open_bills(conn, kind, payer_id)}
        amount = arrears.amount_due(open_bills, local_date(now), payer["credit"])
        purpose = "amount_due"
    if amount <= 0:
        raise RuleViolated("nothing_due", "Nothing is due now.",
                           "Tidak ada tagihan yang harus dibayar saat ini.")
    await intents.supersede_open(conn, kind, payer_id)
    row = await intents.insert(conn, intent_id=uuid.uuid4(), payer_kind=kind, payer_id=payer_id,
                               member_id=cmd.who.member_id, va=payer["va"], amount=amount,
                               purpose=purpose, created_at=now, expires_at=intent_expiry(now))
    return _view(row, now)


async def my_payment(conn: asyncpg.Connection | asyncpg.Pool, who: AccessClaims,
                     intent_id: uuid.UUID, *, now: datetime) -> dict[str, Any]:
    """One of the family's intents and whether the bank paid it."""
    member = await family_payer(conn, who)
    row = await intents.get(conn, intent_id, member["payer_kind"], member["payer_id"])
    if row is None:
        raise NotFound("payment_unknown", "No such payment.", "Pembayaran tidak ditemukan.")
    return _view(row, now)
