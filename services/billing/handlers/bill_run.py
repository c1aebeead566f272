"""The monthly bill run: one bill per payer and period, due the 10th (issue 16).

Idempotent and resumable: a bill's key is (payer, period) and every read skips payers that
have it, so a rerun creates nothing and a run killed at any point resumes where its committed
chunks stopped. Each chunk commits its bills, lines, BillIssued events and progress together.
Families first (a chunk of families per transaction), then employers and budgets, whose lines
come from many families: those are streamed through a server-side cursor and their lines
COPYed as they come, so memory stays flat however large APBN's bill is.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

import asyncpg

from common.errors import DomainError
from common.faults import failpoint
from services.billing.domain.arrears import amount_due
from services.billing.domain.bills import (
    BillLine,
    Participant,
    family_bill_lines,
    family_bills,
)
from services.billing.domain.periods import Period, local_date
from services.billing.domain.tariffs import TariffTable
from services.billing.handlers.credit import apply_credit
from services.billing.handlers.notices import bill_issued
from services.billing.store import bills, runs, tariffs
from services.billing.store.events import stage_many

log = logging.getLogger(__name__)
FAMILY_CHUNK = 2000  # families per transaction
GROUP_CHUNK = 1000  # employers and budgets per transaction (their families are streamed)
LINE_BUFFER = 20_000  # lines held before they are COPYed


@dataclass
class RunProgress:
    """How far the period's run is: payers done of those to bill, and bills made so far."""

    period: str
    payers_done: int
    payers_total: int
    bills: int
    unpriced_families: int = 0  # families whose data the rules refused (logged, skipped)


Progress = Callable[[RunProgress], None]


class BillRunBusy(Exception):
    """Another process is running this period's bill run."""


async def run(pool: asyncpg.Pool, period: Period, *, now: datetime,
              progress: Progress | None = None) -> RunProgress:
    """Bill every payer for `period` that has no bill for it yet; BillRunBusy if another
    process holds the period's run lock."""
    async with pool.acquire() as lock_conn:
        # A session lock on a connection of its own: held across the chunks' transactions,
        # dropped by PostgreSQL if this process dies.
        if not await runs.try_lock(lock_conn, str(period)):
            raise BillRunBusy(str(period))
        try:
            async with pool.acquire() as conn:
                return await _run(conn, period, now, progress or (lambda p: None))
        finally:
            await runs.unlock(lock_conn, str(period))


async def _run(conn: asyncpg.Connection, period: Period, now: datetime,
               progress: Progress) -> RunProgress:
    table = await tariffs.table(conn)
    row = table.for_period(period)  # InvalidInput naming the period when none prices it
    await runs.ensure_payer(conn, "government", row.subsidy_payer)
    started = await runs.start(conn, str(period), period.next().first_day())
    state = RunProgress(str(period), started["bills"], started["payers"], started["bills"])
    progress(state)
    await _families(conn, period, table, now, state, progress)
    await _groups(conn, period, table, now, state, progress)
    await runs.finish(conn, str(period))
    if state.unpriced_families:
        log.warning("bill run skipped families the rules refused",
                    extra={"fields": {"period": str(period),
                                      "families": state.unpriced_families}})
    return state


def _participant(r: asyncpg.Record) -> Participant:
    return Participant(r["member_id"], r["segment"], r["care_class"], r["payer_id"],
                       r["relationship"], r["wage"], r["minimum_wage"])


async def _by_family(rows: AsyncIterator[asyncpg.Record],
                     ) -> AsyncIterator[tuple[str, list[Participant]]]:
    """Consecutive member rows of one family as that family's participants."""
    family, people = None, []
    async for r in rows:
        if r["family_id"] != family:
            if people:
                yield family, people
            family, people = r["family_id"], []
        people.append(_participant(r))
    if people:
        yield family, people


async def _rows(records: Sequence[asyncpg.Record]) -> AsyncIterator[asyncpg.Record]:
    for r in records:
        yield r


def _priced(state: RunProgress, fn, *args):
    """The rules' answer for one family, or None (counted) when its data cannot be priced:
    one family's bad record must not stop everyone's bills."""
    try:
        return fn(*args)
    except DomainError:
        state.unpriced_families += 1
        return None


async def _families(conn: asyncpg.Connection, period: Period, table: TariffTable,
                    now: datetime, state: RunProgress, progress: Progress) -> None:
    end, after = period.next().first_day(), ""
    while True:
        async with conn.transaction():
            payers = await runs.family_payers(conn, str(period), end, after, FAMILY_CHUNK)
            if not payers:
                return
            members = await runs.family_members(conn, [r["payer_id"] for r in payers], end)
            new = []
            async for family_id, people in _by_family(_rows(members)):
                new += _priced(state, family_bills, family_id, people, [period], table) or []
            written = await bills.write(conn, new, [period.due_date()] * len(new), now=now)
            await _issue(conn, period, payers, [(i, b.payer.kind, b.payer.id, b.total)
                                                for i, b in written], now)
            await runs.advance(conn, str(period), len(written))
        failpoint("bill_run_chunk_committed")  # fault tests: die between two chunks
        after = payers[-1]["payer_id"]
        state.payers_done += len(payers)
        state.bills += len(written)
        progress(state)


async def _groups(conn: asyncpg.Connection, period: Period, table: TariffTable,
                  now: datetime, state: RunProgress, progress: Progress) -> None:
    row, after = table.for_period(period), ("", "")
    subsidised = [c for c in row.classes if row.subsidy(c)]
    while True:
        async with conn.transaction():
            payers = await runs.group_payers(conn, str(period), after, GROUP_CHUNK)
            if not payers:
                return
            keys = [(r["payer_kind"], r["payer_id"]) for r in payers]
            # The bills exist (at 0) before their first line is COPYed; the totals follow.
            made = await bills.insert_bills(
                conn, [(k, i, str(period), 0, period.due_date()) for k, i in keys], now=now)
            open_for = {key: bills.bill_id(*key, str(period)) for key in keys}
            open_for = {key: i for key, i in open_for.items() if i in made}
            classes = subsidised if ("government", row.subsidy_payer) in open_for else []
            totals = await _stream_lines(conn, period, table, open_for, classes, state)
            await bills.delete_empty(conn, [i for i in open_for.values() if i not in totals])
            await bills.set_amounts(conn, totals)
            written = [(i, k, p, totals[i]) for (k, p), i in open_for.items() if i in totals]
            await _issue(conn, period, payers, written, now)
            await runs.advance(conn, str(period), len(written))
        after = keys[-1]
        state.payers_done += len(payers)
        state.bills += len(written)
        progress(state)


async def _stream_lines(conn: asyncpg.Connection, period: Period, table: TariffTable,
                        open_for: dict[tuple[str, str], uuid.UUID], classes: list[int],
                        state: RunProgress) -> dict:
    """COPY every line these payers' bills get, family by family; returns each bill's total."""
    totals: dict = {}
    buffer: list[tuple] = []
    kinds, ids = [k for k, _ in open_for], [i for _, i in open_for]
    rows = runs.stream_group_members(conn, kinds, ids, classes, period.next().first_day())
    async for family_id, people in _by_family(rows):
        lines: list[BillLine] = _priced(state, family_bill_lines, family_id, people, period,
                                        table) or []
        for line in lines:
            bill = open_for.get((line.payer.kind, line.payer.id))
            if bill is not None:
                buffer.append((bill, line.member_id, line.part, line.amount))
                totals[bill] = totals.get(bill, 0) + line.amount
        if len(buffer) >= LINE_BUFFER:
            await _copy(conn, buffer)
            buffer = []
    await _copy(conn, buffer)
    return totals


async def _copy(conn: asyncpg.Connection, lines: list[tuple]) -> None:
    await bills.insert_lines(conn, lines)
    failpoint("bill_run_streaming")  # fault tests: die with a chunk's lines written, uncommitted


async def _issue(conn: asyncpg.Connection, period: Period, payers: Sequence[asyncpg.Record],
                 written: Sequence[tuple], now: datetime) -> None:
    """Stage BillIssued for each (bill_id, kind, payer_id, amount) written, with what settles
    the payer's account now; then let any credit the payer holds settle what it can."""
    info = {(r.get("payer_kind", "family"), r["payer_id"]): r for r in map(dict, payers)}
    owed: dict[tuple[str, str], dict[Period, int]] = {}
    for r in await bills.open_bills_of(conn, [(k, p) for _, k, p, _ in written]):
        owed.setdefault((r["payer_kind"], r["payer_id"]), {})[Period.parse(r["period"])] = (
            r["amount"])
    today = local_date(now)
    await stage_many(conn, [
        (bill_issued(i, k, p, str(period), amount, period.due_date(), info[k, p],
                     amount_due(owed.get((k, p), {}), today, info[k, p]["credit"])), p)
        for i, k, p, amount in written])
    # BillIssued first, so a member told of a bill then hears it was settled from credit.
    for _, k, p, _ in written:
        if info[k, p]["credit"] > 0:
            await apply_credit(conn, k, p, now=now)


async def run_if_due(pool: asyncpg.Pool, *, now: datetime) -> RunProgress | None:
    """The scheduler's step: run this WIB month's bill run unless it has finished with every
    payer known now, or another process is running it (the state is in bill_runs and payers,
    so a restart loses nothing)."""
    period = Period.of(local_date(now))
    async with pool.acquire() as conn:
        if await runs.up_to_date(conn, str(period)):
            return None
    try:
        return await run(pool, period, now=now)
    except BillRunBusy:
        return None
