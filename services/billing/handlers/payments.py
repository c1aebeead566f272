"""Settling money against a payer's bills, and a bank's payment into a family's VA.

Settlement (issue 16's plan): with the payer row locked, the collectible months are paid oldest
first, whole months only, the rest kept as credit; PaymentReceived and one BillSettled per bill
are staged and coverage is re-evaluated, all in the caller's transaction: nothing is ever
half-settled.
"""

from __future__ import annotations

import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from common import bridging
from common.errors import NotFound
from contracts import events
from services.billing.domain import arrears, settlement
from services.billing.domain import payments as rules
from services.billing.domain.periods import Period, local_date
from services.billing.domain.virtual_account import parse_virtual_account
from services.billing.handlers import coverage, rehab
from services.billing.handlers.commands import ReceiveBankPayment
from services.billing.store import bills, intents, ledger, payers
from services.billing.store import payments as store
from services.billing.store.events import stage_many


@dataclass(frozen=True)
class Money:
    """One payment to settle: who sent it, how, and when it was paid."""

    payment_id: uuid.UUID
    amount: int
    channel: str
    bank_reference: str
    paid_at: datetime
    va: str | None


@dataclass(frozen=True)
class PaymentAnswer:
    """The bridging answer, rendered once; `replayed` when it is the first delivery's."""

    text: str
    replayed: bool


def va_unknown() -> NotFound:
    return NotFound("va_unknown", "No such virtual account.",
                    "Nomor virtual account tidak ditemukan.", field="va")


async def settle(conn: asyncpg.Connection, payer: asyncpg.Record, money: Money, *,
                 now: datetime) -> settlement.Settlement:
    """Apply the money to the locked payer's collectible months (see the module docstring).

    `payer` is the row payers.by_va or payers.lock locked: coverage is decided from it and the
    bills left open, not read again, and every event of the payment is staged in one round
    trip."""
    kind, payer_id = payer["payer_kind"], payer["payer_id"]
    open_rows = {Period.parse(r["period"]): r for r in await bills.open_bills(conn, kind, payer_id)}
    # Months beyond the 24 counted are never owed again: money never goes to them.
    owed = arrears.collectible(open_rows, local_date(now))
    result = settlement.settle([settlement.OpenBill(p, open_rows[p]["amount"]) for p in owed],
                               payer["credit"], money.amount)
    settled = [open_rows[b.period] for b in result.settled]
    if settled:
        await bills.mark_settled(conn, [r["bill_id"] for r in settled], money.payment_id, now)
    if result.credit != payer["credit"]:
        await ledger.set_credit(conn, kind, payer_id, result.credit)
    if payer["rehab_plan"]:
        await rehab.count_payment(conn, kind, payer_id, money.amount, now=now)
    paid = {b.period for b in result.settled}
    standing = await coverage.follow(conn, payer, [p for p in open_rows if p not in paid],
                                     now=now)
    received = events.PaymentReceived(
        payment_id=money.payment_id, payer_kind=kind, payer_id=payer_id,
        member_id=payer["head_member_id"], va=money.va, amount=money.amount,
        channel=money.channel, bank_reference=money.bank_reference, paid_at=money.paid_at,
        settled_periods=[str(p) for p in result.settled_periods], credit=result.credit,
        locale=payer["locale"])
    await stage_many(conn, [(received, payer_id)] + [
        (events.BillSettled(bill_id=r["bill_id"], payer_kind=kind, payer_id=payer_id,
                            period=r["period"], payment_id=money.payment_id), payer_id)
        for r in settled] + standing)
    return result


def _render(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


async def receive_bank_payment(conn: asyncpg.Connection, cmd: ReceiveBankPayment, *,
                               now: datetime, fingerprint_key: bytes) -> PaymentAnswer:
    """Settle a bank's payment once per bank reference; a copy gets the first answer."""
    p = cmd.payment
    print_ = rules.fingerprint(fingerprint_key, p)
    payment_id = uuid.uuid4()
    if not await store.claim(conn, payment_id, cmd.cons_id, p.bank_reference, print_, now):
        first = await store.first_delivery(conn, cmd.cons_id, p.bank_reference)
        if not hmac.compare_digest(first["fingerprint"], print_):
            raise rules.reference_reused()
        return PaymentAnswer(first["answer"], replayed=True)
    rules.check_paid_at(p.paid_at, now)
    va = parse_virtual_account(p.va)
    rules.check_channel(va.channel, p.channel)
    payer = await payers.by_va(conn, va.channel, p.va, lock=True)
    if payer is None:
        raise va_unknown()
    live = [rules.OpenIntent(r["intent_id"], r["amount"], r["expires_at"])
            for r in await intents.open_for(conn, payer["payer_kind"], payer["payer_id"])
            ] if payer["open_intent"] else []
    intent = rules.matching_intent(live, p.amount, now)
    money = Money(payment_id, p.amount, p.channel, p.bank_reference, p.paid_at, p.va)
    result = await settle(conn, payer, money, now=now)
    if intent is not None:
        await intents.mark_paid(conn, intent.intent_id, payment_id)
    periods = [str(x) for x in result.settled_periods]
    text = _render(bridging.ok({
        "payment_id": str(payment_id), "bank_reference": p.bank_reference,
        "amount": p.amount, "settled_periods": periods, "credit": result.credit,
        "status": "settled" if periods else "credited"}))
    await store.record(
        conn, payment_id, va=p.va, payer_kind=payer["payer_kind"], payer_id=payer["payer_id"],
        segment=payer["segment"], amount=p.amount, channel=p.channel, paid_at=p.paid_at,
        paid_on=local_date(p.paid_at), intent_id=intent.intent_id if intent else None,
        settled_periods=periods, credit_after=result.credit, answer=text)
    return PaymentAnswer(text, replayed=False)

