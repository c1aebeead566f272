"""Reads: the member's bills, a bank's VA inquiry, a facility's penalty question, and the
daily collection summary for the ops dashboard."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg

from common import bridging
from common.errors import NotFound
from common.member_tokens import AccessClaims
from services.billing.domain import arrears
from services.billing.domain.masking import mask_name
from services.billing.domain.penalty import service_penalty
from services.billing.domain.periods import Period, local_date
from services.billing.domain.virtual_account import parse_virtual_account
from services.billing.handlers.members import billed_member
from services.billing.handlers.payments import va_unknown
from services.billing.store import bills, payers, statements
from services.billing.store import payments as payment_store

Db = asyncpg.Connection | asyncpg.Pool
# The history a member sees: two years, the span arrears are counted over.
HISTORY_MONTHS = arrears.MAX_COUNTED_ARREARS


def _bill(row: asyncpg.Record) -> dict[str, Any]:
    return {"bill_id": row["bill_id"], "period": row["period"], "amount": row["amount"],
            "due_date": row["due_date"], "status": row["status"],
            "settled_at": row["settled_at"]}


async def my_bills(db: Db, who: AccessClaims, *, now: datetime) -> dict[str, Any]:
    """The family's current bill, arrears by month, history, amount_due and VA; a member whose
    premium others pay sees who pays and that nothing is due."""
    member = await billed_member(db, who)
    paid_by = {"kind": member["payer_kind"], "id": member["payer_id"]}
    if member["payer_kind"] != "family":
        return {"segment": member["segment"], "paid_by": paid_by, "amount_due": 0,
                "nothing_due": True, "va": None, "current_bill": None, "arrears": [],
                "history": [], "payments": []}
    payer = await payers.get(db, member["payer_kind"], member["payer_id"])
    today = local_date(now)
    current = Period.of(today)
    rows = await statements.bills(db, payer["payer_kind"], payer["payer_id"],
                                  str(current + (1 - HISTORY_MONTHS)))
    open_bills = {Period.parse(r["period"]): r["amount"] for r in rows if r["status"] == "open"}
    counted = {str(p) for p in arrears.counted_arrears(open_bills, today)}
    due = arrears.amount_due(open_bills, today, payer["credit"])
    paid = await payment_store.history(db, payer["payer_kind"], payer["payer_id"])
    return {
        "segment": member["segment"], "paid_by": paid_by, "family_id": member["family_id"],
        "va": payer["va"], "va_mandiri": payer["va_mandiri"], "coverage": payer["coverage"],
        "credit": payer["credit"], "amount_due": due, "nothing_due": due == 0,
        "current_bill": next((_bill(r) for r in rows if r["period"] == str(current)), None),
        "arrears": [_bill(r) for r in rows if r["period"] in counted],
        "history": [_bill(r) for r in reversed(rows) if r["status"] == "settled"],
        "payments": [{"payment_id": p["payment_id"], "amount": p["amount"],
                      "channel": p["channel"], "paid_at": p["paid_at"],
                      "settled_periods": list(p["settled_periods"])} for p in paid],
    }


async def inquire_va(db: Db, va: str, *, now: datetime) -> dict[str, Any]:
    """What a bank shows before taking money: the masked name and what settles everything."""
    parsed = parse_virtual_account(va)
    payer = await payers.by_va(db, parsed.channel, va)
    if payer is None:
        raise va_unknown()
    open_rows = await bills.open_bills(db, payer["payer_kind"], payer["payer_id"])
    due = arrears.amount_due({Period.parse(r["period"]): r["amount"] for r in open_rows},
                             local_date(now), payer["credit"])
    return bridging.ok({"va": va, "name": mask_name(payer["head_name"] or ""),
                        "amount_due": due, "currency": "IDR"})


async def facility_penalty(db: Db, card_number: str, admission_date: date,
                           inpatient_cost: int) -> dict[str, Any]:
    """The denda pelayanan a facility adds to an inpatient admission (domain.penalty)."""
    member = await payers.member_by_card(db, card_number)
    if member is None:
        raise NotFound("card_unknown", "No participant has this card number.",
                       "Tidak ada peserta dengan nomor kartu ini.", field="card_number")
    p = service_penalty(inpatient_cost, member["reactivated_arrears"] or 0,
                        member["reactivated_on"], admission_date)
    return bridging.ok({"penalty": p.amount, "arrears_months": p.months,
                        "reactivated_on": member["reactivated_on"],
                        "window_ends": p.window_ends, "inpatient_cost": inpatient_cost})


async def collections(db: Db, day: date) -> dict[str, Any]:
    """One WIB day's payments by channel and segment, with the totals."""
    rows = [dict(r) for r in await payment_store.collections(db, day)]

    def by(key: str) -> list[dict[str, Any]]:
        sums: dict[str, list[int]] = {}
        for r in rows:
            s = sums.setdefault(r[key], [0, 0])
            s[0] += r["payments"]
            s[1] += r["amount"]
        return [{key: k, "payments": n, "amount": a} for k, (n, a) in sorted(sums.items())]

    return {"date": day, "payments": sum(r["payments"] for r in rows),
            "amount": sum(r["amount"] for r in rows), "by_channel": by("channel"),
            "by_segment": by("segment"), "rows": rows}


async def arrears_today(db: Db, today: date) -> dict[str, Any]:
    """Payers in arrears by segment today: how many, their counted months and the amount owed
    (domain.md §3: at most the latest 24 months count)."""
    current = Period.of(today)
    rows = [dict(r) for r in await payment_store.arrears_by_segment(
        db, str(current + -arrears.MAX_COUNTED_ARREARS), str(current))]
    return {"date": today, "payers": sum(r["payers"] for r in rows),
            "months": sum(r["months"] for r in rows), "amount": sum(r["amount"] for r in rows),
            "by_segment": rows}
