"""Coverage follows payment: the one place that decides a payer's counted arrears and a
family's coverage, and stages PremiumArrearsChanged and CoverageStatusChanged.

Called after anything that changes a payer's open bills (a payment, credit applied by the bill
run) in that same transaction, and by the worker's daily sweep, which is what turns a family
non-active on the 1st after an unpaid 10th.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from contracts import events
from services.billing.domain.arrears import MAX_COUNTED_ARREARS, coverage_status
from services.billing.domain.periods import Period, local_date
from services.billing.store import bills, ledger
from services.billing.store.events import stage_many


async def refresh(conn: asyncpg.Connection, payer_kind: str, payer_id: str, *,
                  now: datetime) -> None:
    """Re-evaluate one payer's arrears and (a family's) coverage as of now (WIB)."""
    payer = await ledger.payer_for_update(conn, payer_kind, payer_id)
    if payer is None:
        return
    open_periods = [Period.parse(r["period"])
                    for r in await bills.open_bills(conn, payer_kind, payer_id)]
    await stage_many(conn, await follow(conn, payer, open_periods, now=now))


async def follow(conn: asyncpg.Connection, payer: Mapping[str, Any], open_periods: list[Period],
                 *, now: datetime) -> list[tuple[events.Event, str]]:
    """Write what the locked `payer`'s open bills now mean for its arrears and coverage;
    returns the events to stage, so a settlement stages them with its own in one round trip.

    `payer` is the row as locked in this transaction (kind, id, head, locale, coverage,
    arrears_months, bills_members) and `open_periods` every bill still open after the change.
    """
    payer_kind, payer_id = payer["payer_kind"], payer["payer_id"]
    today = local_date(now)
    was_active = payer["coverage"] == "active"
    coverage = coverage_status(open_periods, today, was_active=was_active)
    staged: list[tuple[events.Event, str]] = []
    arrears = (coverage.arrears_months
               if coverage.arrears_months != payer["arrears_months"] else None)
    if arrears is not None and payer_kind == "family":
        staged.append((events.PremiumArrearsChanged(
            family_id=payer_id, unpaid_months=arrears), payer_id))
    # Employers and budgets are tracked by their arrears only: a PPU or PBI member's coverage
    # is not theirs to lose (issue 16: only family payers change member coverage), and a
    # family that pays for none of its members keeps the coverage the register gave it.
    if (payer_kind != "family" or not payer["bills_members"]
            or coverage.state == payer["coverage"]):
        if arrears is not None:
            await ledger.set_arrears(conn, payer_kind, payer_id, arrears)
        return staged
    since = today if coverage.state == "active" else (coverage.non_active_from or today)
    if coverage.state == "active":
        member_ids = await ledger.reactivate(conn, payer_id, today, str(Period.of(today)),
                                             arrears)
    else:
        member_ids = await ledger.set_coverage(conn, payer_id, coverage.state, since, arrears)
    staged.append((events.CoverageStatusChanged(
        family_id=payer_id, member_ids=member_ids,
        head_member_id=payer["head_member_id"], status=coverage.state, effective_date=since,
        arrears_months=coverage.arrears_months, locale=payer["locale"]), payer_id))
    return staged


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
