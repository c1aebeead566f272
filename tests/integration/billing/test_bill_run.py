"""The monthly bill run on a database of its own: one bill per payer and period, lines that sum
to it, one BillIssued each, nothing new on a rerun, credit used by the new bill."""

from __future__ import annotations

from datetime import date

import pytest

from services.billing.domain.periods import Period
from services.billing.handlers import bill_run
from tests.integration.billing.conftest import (
    NOW,
    enrol,
    enrol_all,
    family,
    ledger_facts,
    member,
    staged,
    synthetic_families,
)

pytestmark = pytest.mark.integration
DEC = Period(2026, 12)


async def test_every_payer_is_billed_once_and_a_rerun_makes_nothing(own_db) -> None:
    _, pool = own_db
    await enrol_all(pool, synthetic_families(3000))
    seen = []
    first = await bill_run.run(pool, DEC, now=NOW, progress=lambda p: seen.append(p.bills))
    async with pool.acquire() as conn:
        facts = await ledger_facts(conn, "2026-12")
        kinds = {r["payer_kind"] for r in await conn.fetch(
            "SELECT DISTINCT payer_kind FROM bills WHERE period = '2026-12'")}
        run_row = await conn.fetchrow("SELECT * FROM bill_runs WHERE period = '2026-12'")
        due = {r["due_date"] for r in await conn.fetch(
            "SELECT DISTINCT due_date FROM bills WHERE period = '2026-12'")}
    assert facts == {"bills": first.bills, "doubled": 0, "off": 0, "issued": first.bills,
                     "issued_bills": first.bills, "unbilled": 0}
    assert kinds == {"family", "employer", "government"}
    assert due == {date(2026, 12, 10)}
    assert run_row["finished_at"] is not None and run_row["bills"] == first.bills
    assert seen[-1] == first.bills and first.payers_done == first.payers_total

    again = await bill_run.run(pool, DEC, now=NOW)
    async with pool.acquire() as conn:
        assert await ledger_facts(conn, "2026-12") == facts
    assert again.bills == first.bills


async def test_family_bill_amount_due_counts_arrears_and_class_iii_subsidy_goes_to_apbn(
        own_db) -> None:
    _, pool = own_db
    pbpu = family(member("PBPU", 3), member("PBPU", 3, "child"), arrears=1)
    pbi = family(member("PBI_APBN", 3))
    async with pool.acquire() as conn:
        await enrol(conn, pbpu)
        await enrol(conn, pbi)
    await bill_run.run(pool, DEC, now=NOW)
    async with pool.acquire() as conn:
        apbn = await conn.fetch(
            "SELECT l.part, l.amount FROM bill_lines l JOIN bills b USING (bill_id)"
            " WHERE b.payer_kind = 'government' AND b.payer_id = 'APBN' ORDER BY l.part")
        issued = {p["payer_id"]: p for p in await staged(conn, "BillIssued")}
    assert [tuple(r) for r in apbn] == [("pbi", 42_000), ("subsidy", 7_000),
                                        ("subsidy", 7_000)]
    # NOW is in November: October's opening bill is the arrears, November's is not billed
    # by this run; December's is ahead, so what settles everything now is October's.
    assert issued[pbpu.family_id]["amount"] == 70_000
    assert issued[pbpu.family_id]["amount_due"] == 70_000
    assert issued["APBN"]["amount"] == 56_000 and issued["APBN"]["va"] is None


async def test_credit_settles_the_new_bill_and_stays_for_the_next(own_db) -> None:
    _, pool = own_db
    e = family(member("PBPU", 2))  # Rp100,000 a month
    async with pool.acquire() as conn:
        await enrol(conn, e)
        await conn.execute("UPDATE payers SET credit = 130000 WHERE payer_id = $1", e.family_id)
    await bill_run.run(pool, DEC, now=NOW)
    async with pool.acquire() as conn:
        bill = await conn.fetchrow("SELECT bill_id, status, settled_by FROM bills"
                                   " WHERE payer_id = $1", e.family_id)
        credit = await conn.fetchval("SELECT credit FROM payers WHERE payer_id = $1",
                                     e.family_id)
        [issued] = await staged(conn, "BillIssued")
        [settled] = await staged(conn, "BillSettled")
        order = [r["t"] for r in await conn.fetch(
            "SELECT envelope->>'type' AS t FROM outbox WHERE envelope->>'type' LIKE 'Bill%'"
            " ORDER BY id")]
    assert (bill["status"], bill["settled_by"], credit) == ("settled", None, 30_000)
    assert issued["amount_due"] == 0
    assert settled == {"bill_id": str(bill["bill_id"]), "payer_kind": "family",
                       "payer_id": e.family_id, "period": "2026-12", "payment_id": None}
    assert order == ["BillIssued", "BillSettled"]


async def test_the_scheduler_step_runs_only_an_unfinished_month(own_db) -> None:
    _, pool = own_db
    async with pool.acquire() as conn:
        await enrol(conn, family(member("BP", 1)))
    done = await bill_run.run_if_due(pool, now=NOW)  # November in WIB
    assert done is not None and done.period == "2026-11" and done.bills == 1
    assert await bill_run.run_if_due(pool, now=NOW) is None
