"""The monthly bill run on a database of its own: one bill per payer and period, lines that sum
to it, one BillIssued each, nothing new on a rerun, credit used by the new bill."""

from __future__ import annotations

from datetime import date

import pytest

from contracts import events
from services.billing.domain.periods import Period
from services.billing.handlers import bill_run, enrolment
from tests.integration.billing.conftest import (
    NOW,
    enrol,
    enrol_all,
    envelope,
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


async def test_the_scheduler_bills_a_family_that_arrives_after_the_months_run(own_db) -> None:
    _, pool = own_db
    assert (await bill_run.run_if_due(pool, now=NOW)).bills == 0  # nobody enrolled yet
    assert await bill_run.run_if_due(pool, now=NOW) is None
    late = family(member("PBPU", 2))
    async with pool.acquire() as conn:
        await enrol(conn, late)
    again = await bill_run.run_if_due(pool, now=NOW)
    assert again is not None and again.bills == 1
    assert await bill_run.run_if_due(pool, now=NOW) is None


async def test_an_employer_bill_gathers_its_workers_families_and_follows_class_changes(
        own_db) -> None:
    _, pool = own_db
    wage, umk = 6_000_000, 3_491_889
    children = [member("PPU_BU", 1, "child", payer_id="BU-9") for _ in range(4)]
    big = family(member("PPU_BU", 1, payer_id="BU-9", wage=wage, minimum_wage=umk),
                 member("PPU_BU", 1, "spouse", payer_id="BU-9"), *children)
    small = family(member("PPU_BU", 1, payer_id="BU-9", wage=20_000_000, minimum_wage=umk))
    moved = family(member("PBPU", 3), member("PBPU", 3, "child"))
    async with pool.acquire() as conn:
        for e in (big, small, moved):
            await enrol(conn, e)
        # The whole KK moves to class I before the run (ClassChanged, as membership sends it).
        change = events.ClassChanged(family_id=moved.family_id,
                                     member_ids=[m.member_id for m in moved.members],
                                     from_class=3, to_class=1, effective_date=date(2026, 12, 1))
        await enrolment.change_class(conn, envelope(change, NOW), change, NOW)
    await bill_run.run(pool, DEC, now=NOW)
    async with pool.acquire() as conn:
        employer = await conn.fetch(
            "SELECT l.part, l.amount FROM bill_lines l JOIN bills b USING (bill_id)"
            " WHERE b.payer_id = 'BU-9' ORDER BY l.part, l.amount")
        amount = await conn.fetchval("SELECT amount FROM bills WHERE payer_id = 'BU-9'")
        family_bill = await conn.fetchval("SELECT amount FROM bills WHERE payer_id = $1",
                                          moved.family_id)
    # 4% + 1% of each wage (the second clamped to Rp12,000,000); the 4th child is an extra 1%.
    assert [tuple(r) for r in employer] == [
        ("employer_share", 240_000), ("employer_share", 480_000), ("extra_member", 60_000),
        ("worker_share", 60_000), ("worker_share", 120_000)]
    assert amount == 960_000
    assert family_bill == 300_000  # two members at class I, nothing subsidised


async def test_a_family_the_rules_refuse_is_skipped_and_counted_not_fatal(own_db) -> None:
    _, pool = own_db
    orphan = family(member("PPU_BU", 2, "spouse", payer_id="BU-3"))  # a dependant, no worker
    fine = family(member("PPU_BU", 2, payer_id="BU-3", wage=5_000_000, minimum_wage=3_491_889))
    async with pool.acquire() as conn:
        await enrol(conn, orphan)
        await enrol(conn, fine)
    result = await bill_run.run(pool, DEC, now=NOW)
    assert result.unpriced_families == 1
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT amount FROM bills WHERE payer_id = 'BU-3'") == 250_000
