"""The worker's scheduler on a database of its own: on the 7th it bills the month, reminds the
unpaid and sweeps coverage; restarted, it finds everything done (its state is the database's)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from services.billing import worker
from tests.integration.billing.conftest import at_wib, enrol, family, member, staged
from tests.integration.kafka_helpers import eventually

pytestmark = pytest.mark.integration
ON_THE_7TH = at_wib(2026, 12, 7, 9)


class FixedClock:
    def now(self):
        return ON_THE_7TH


def runtime(pool) -> SimpleNamespace:
    return SimpleNamespace(pool=pool, clock=FixedClock(), settings=SimpleNamespace(
        scheduler_interval_seconds=0.05, coverage_sweep_interval_seconds=3600))


async def facts(pool) -> dict:
    async with pool.acquire() as conn:
        return {
            "bills": await conn.fetchval("SELECT count(*) FROM bills WHERE period = '2026-12'"),
            "run_finished": await conn.fetchval(
                "SELECT finished_at IS NOT NULL FROM bill_runs WHERE period = '2026-12'"),
            **{t: len(await staged(conn, t)) for t in (
                "BillIssued", "BillReminderIssued", "CoverageStatusChanged")}}


async def scheduled(pool, until) -> dict:
    task = asyncio.create_task(worker.scheduler(runtime(pool)))
    try:
        await eventually(lambda: until(pool), timeout=30)
        await asyncio.sleep(0.3)  # a few more ticks: they must add nothing
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    return await facts(pool)


async def test_the_scheduler_bills_reminds_and_sweeps_once_across_restarts(own_db) -> None:
    _, pool = own_db
    late = family(member("PBPU", 2), arrears=1)  # October unpaid, carried from the register
    async with pool.acquire() as conn:
        await enrol(conn, late)
        await enrol(conn, family(member("PBI_APBN", 3)))

    async def swept(p):
        return (await facts(p))["CoverageStatusChanged"] == 1

    first = await scheduled(pool, swept)
    # December: the family and APBN are billed; the family is reminded of December on the
    # 7th (October is past its due date) and is non-active since 1 November.
    assert first == {"bills": 2, "run_finished": True, "BillIssued": 2,
                     "BillReminderIssued": 1, "CoverageStatusChanged": 1}
    async with pool.acquire() as conn:
        [changed] = await staged(conn, "CoverageStatusChanged")
    assert (changed["status"], changed["effective_date"]) == ("non_active", "2026-11-01")

    async def ticked(p):
        return True

    assert await scheduled(pool, ticked) == first  # restarted: nothing twice
