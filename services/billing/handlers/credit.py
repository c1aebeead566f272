"""Credit used by the next bill: what a payer holds settles new bills, oldest month first."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts import events
from services.billing.domain.arrears import collectible
from services.billing.domain.periods import Period, local_date
from services.billing.domain.settlement import OpenBill, settle
from services.billing.handlers import coverage
from services.billing.store import bills, ledger
from services.billing.store.events import stage_many


async def apply_credit(conn: asyncpg.Connection, payer_kind: str, payer_id: str, *,
                       now: datetime) -> None:
    """Settle whole open months from the payer's credit (settlement with paid=0), staging
    BillSettled (payment_id None) for each, then re-evaluate its coverage."""
    payer = await ledger.payer_for_update(conn, payer_kind, payer_id)
    if payer is None or payer["credit"] <= 0:
        return
    rows = {Period.parse(r["period"]): r for r in await bills.open_bills(conn, payer_kind,
                                                                         payer_id)}
    owed = collectible(rows, local_date(now))
    result = settle([OpenBill(p, rows[p]["amount"]) for p in owed], payer["credit"])
    if not result.settled:
        return
    settled = [rows[b.period] for b in result.settled]
    await bills.mark_settled(conn, [r["bill_id"] for r in settled], None, now)
    await ledger.set_credit(conn, payer_kind, payer_id, result.credit)
    await stage_many(conn, [(events.BillSettled(
        bill_id=r["bill_id"], payer_kind=payer_kind, payer_id=payer_id, period=r["period"],
        payment_id=None), payer_id) for r in settled])
    await coverage.refresh(conn, payer_kind, payer_id, now=now)
