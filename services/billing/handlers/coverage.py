"""Coverage follows payment: the one place that decides a payer's counted arrears and a
family's coverage, and stages PremiumArrearsChanged and CoverageStatusChanged.

Called after anything that changes a payer's open bills (a payment, credit applied by the bill
run) in that same transaction, and by the worker's daily sweep, which is what turns a family
non-active on the 1st after an unpaid 10th.
"""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts import events
from services.billing.domain.arrears import MAX_COUNTED_ARREARS, coverage_status
from services.billing.domain.periods import Period, local_date
from services.billing.store import bills, ledger
from services.billing.store.events import stage


async def refresh(conn: asyncpg.Connection, payer_kind: str, payer_id: str, *,
                  now: datetime) -> None:
    """Re-evaluate one payer's arrears and (a family's) coverage as of now (WIB)."""
    payer = await ledger.payer_for_update(conn, payer_kind, payer_id)
    if payer is None:
        return
    today = local_date(now)
    open_periods = [Period.parse(r["period"])
                    for r in await bills.open_bills(conn, payer_kind, payer_id)]
    was_active = payer["coverage"] == "active"
    coverage = coverage_status(open_periods, today, was_active=was_active)
    if coverage.arrears_months != payer["arrears_months"]:
        await ledger.set_arrears(conn, payer_kind, payer_id, coverage.arrears_months)
        if payer_kind == "family":
            await stage(conn, events.PremiumArrearsChanged(
                family_id=payer_id, unpaid_months=coverage.arrears_months), payer_id)
    # Employers and budgets are tracked by their arrears only: a PPU or PBI member's coverage
    # is not theirs to lose (issue 16: only family payers change member coverage), and a
    # family that pays for none of its members keeps the coverage the register gave it.
    if (payer_kind != "family" or not payer["bills_members"]
            or coverage.state == payer["coverage"]):
        return
    since = today if coverage.state == "active" else (coverage.non_active_from or today)
    if coverage.state == "active":
        # Before the new coverage_since replaces the day the family stopped being covered.
        await ledger.record_reactivation(conn, payer_id, today, str(Period.of(today)))
    await ledger.set_coverage(conn, payer_id, coverage.state, since)
    await stage(conn, events.CoverageStatusChanged(
        family_id=payer_id, member_ids=await ledger.family_member_ids(conn, payer_id),
        head_member_id=payer["head_member_id"], status=coverage.state, effective_date=since,
        arrears_months=coverage.arrears_months, locale=payer["locale"]), payer_id)


async def sweep(pool: asyncpg.Pool, *, now: datetime, batch: int = 500) -> int:
    """Refresh every payer whose arrears or coverage would change today (found set-based, in
    pages of `batch`, each page one transaction); returns how many were refreshed."""
    current, after, done = str(Period.of(local_date(now))), "", 0
    while True:
        async with pool.acquire() as conn, conn.transaction():
            found = await ledger.coverage_candidates(conn, current, after, batch,
                                                     MAX_COUNTED_ARREARS)
            for r in found:
                await refresh(conn, r["payer_kind"], r["payer_id"], now=now)
        done += len(found)
        if len(found) < batch:
            return done
        after = f"{found[-1]['payer_kind']}/{found[-1]['payer_id']}"
