"""Reminding a family of an unpaid bill 3 days before its due date (issue 16)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts import events
from services.billing.domain.arrears import amount_due
from services.billing.domain.periods import REMINDER_DAYS_BEFORE, Period, local_date
from services.billing.store import bills
from services.billing.store.events import stage_many


async def remind(conn: asyncpg.Connection, *, now: datetime, limit: int = 5000) -> int:
    """Stage BillReminderIssued for up to `limit` open family bills whose reminder day has
    come (the 7th for a monthly bill) and that were not reminded; returns how many."""
    today = local_date(now)
    due = await bills.take_reminders(conn, today, now, REMINDER_DAYS_BEFORE, limit)
    owed: dict[str, dict[Period, int]] = {}
    for r in await bills.open_bills_of(conn, [("family", d["payer_id"]) for d in due]):
        owed.setdefault(r["payer_id"], {})[Period.parse(r["period"])] = r["amount"]
    await stage_many(conn, [(events.BillReminderIssued(
        bill_id=d["bill_id"], family_id=d["payer_id"], member_id=d["head_member_id"],
        period=d["period"], due_date=d["due_date"], va=d["va"], locale=d["locale"],
        amount_due=amount_due(owed.get(d["payer_id"], {}), today, d["credit"])), d["payer_id"])
        for d in due])
    return len(due)
