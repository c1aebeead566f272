"""Coverage follows payment: non-active from the 1st after an unpaid 10th, active again at once
when the arrears and the current month are paid; reminders from the 7th. Rolled back."""

from __future__ import annotations

from datetime import date

import pytest

from services.billing.domain.periods import Period, local_date
from services.billing.handlers import coverage, reminders
from services.billing.store import bills, ledger
from tests.integration.billing.conftest import at_wib, enrol, family, member, staged

pytestmark = pytest.mark.integration
SERVICE = "billing"


async def issue(conn, family_id: str, period: str, amount: int = 100_000) -> None:
    y, m = map(int, period.split("-"))
    await bills.insert_bills(conn, [("family", family_id, period, amount, date(y, m, 10))],
                             now=at_wib(y, m, 1))


async def settle(conn, family_id: str, period: str, when) -> None:
    bill = bills.bill_id("family", family_id, period)
    await bills.mark_settled(conn, [bill], None, when)
    await coverage.refresh(conn, "family", family_id, now=when)


async def payer(conn, family_id: str):
    return await conn.fetchrow(
        "SELECT coverage, coverage_since, arrears_months, reactivated_on, reactivated_arrears"
        " FROM payers WHERE payer_kind = 'family' AND payer_id = $1", family_id)


async def test_unpaid_after_the_10th_is_non_active_from_the_1st_and_paying_reactivates(
        uow) -> None:
    e = family(member("PBPU", 2), member("PBPU", 2, "child"))
    await enrol(uow, e)
    await issue(uow, e.family_id, "2026-11")
    # Still November in WIB (23:59 on the 30th): the month is not arrears yet.
    await coverage.refresh(uow, "family", e.family_id, now=at_wib(2026, 11, 30, 23))
    assert (await payer(uow, e.family_id))["coverage"] == "active"
    assert await staged(uow, "CoverageStatusChanged") == []
    await issue(uow, e.family_id, "2026-12")
    await coverage.refresh(uow, "family", e.family_id, now=at_wib(2026, 12, 1, 0))
    p = await payer(uow, e.family_id)
    assert (p["coverage"], p["coverage_since"], p["arrears_months"]) == (
        "non_active", date(2026, 12, 1), 1)
    [changed] = await staged(uow, "CoverageStatusChanged")
    assert changed["status"] == "non_active" and changed["effective_date"] == "2026-12-01"
    assert sorted(changed["member_ids"]) == sorted(str(m.member_id) for m in e.members)
    assert await staged(uow, "PremiumArrearsChanged") == [
        {"family_id": e.family_id, "unpaid_months": 1}]

    # The arrears alone do not reactivate: December is open too.
    await settle(uow, e.family_id, "2026-11", at_wib(2026, 12, 5))
    assert (await payer(uow, e.family_id))["coverage"] == "non_active"
    # Paying December as well reactivates at once, remembering the month paid off.
    await settle(uow, e.family_id, "2026-12", at_wib(2026, 12, 6))
    p = await payer(uow, e.family_id)
    assert (p["coverage"], p["coverage_since"], p["reactivated_on"],
            p["reactivated_arrears"]) == ("active", date(2026, 12, 6), date(2026, 12, 6), 1)
    statuses = [c["status"] for c in await staged(uow, "CoverageStatusChanged")]
    assert statuses == ["non_active", "active"]
    assert [a["unpaid_months"] for a in await staged(uow, "PremiumArrearsChanged")] == [1, 0]


async def test_the_sweep_finds_exactly_the_payers_whose_state_changes(uow) -> None:
    late, paid, employer = family(member("PBPU", 2)), family(member("BP", 1)), family(
        member("PPU_BU", 2, payer_id="BU-7", wage=5_000_000, minimum_wage=3_491_889))
    for e in (late, paid, employer):
        await enrol(uow, e)
    await issue(uow, late.family_id, "2026-11")
    await issue(uow, paid.family_id, "2026-11")
    await bills.mark_settled(uow, [bills.bill_id("family", paid.family_id, "2026-11")], None,
                             at_wib(2026, 11, 9))
    await bills.insert_bills(uow, [("employer", "BU-7", "2026-11", 250_000, date(2026, 11, 10))],
                             now=at_wib(2026, 11, 1))
    found = await _candidates(uow, at_wib(2026, 12, 1, 1))
    assert found == {("employer", "BU-7"), ("family", late.family_id)}
    for kind, payer_id in found:
        await coverage.refresh(uow, kind, payer_id, now=at_wib(2026, 12, 1, 1))
    assert await _candidates(uow, at_wib(2026, 12, 1, 1)) == set()
    # An employer's arrears are kept on its row; its workers' coverage is not its to lose.
    assert await uow.fetchval("SELECT arrears_months FROM payers WHERE payer_id = 'BU-7'") == 1
    assert [c["family_id"] for c in await staged(uow, "CoverageStatusChanged")] == [
        late.family_id]


async def _candidates(conn, now) -> set[tuple[str, str]]:
    rows = await ledger.coverage_candidates(conn, str(Period.of(local_date(now))), "", 1000, 24)
    return {(r["payer_kind"], r["payer_id"]) for r in rows}


async def test_reminders_go_out_from_the_7th_once_and_only_for_open_bills(uow) -> None:
    unpaid, paid = family(member("PBPU", 2)), family(member("PBPU", 1))
    for e in (unpaid, paid):
        await enrol(uow, e)
        await issue(uow, e.family_id, "2026-12")
    await bills.mark_settled(uow, [bills.bill_id("family", paid.family_id, "2026-12")], None,
                             at_wib(2026, 12, 2))
    assert await reminders.remind(uow, now=at_wib(2026, 12, 6, 23)) == 0
    assert await reminders.remind(uow, now=at_wib(2026, 12, 7, 8)) == 1
    assert await reminders.remind(uow, now=at_wib(2026, 12, 8)) == 0
    [reminder] = await staged(uow, "BillReminderIssued")
    assert reminder == {
        "bill_id": str(bills.bill_id("family", unpaid.family_id, "2026-12")),
        "family_id": unpaid.family_id, "member_id": str(unpaid.head_member_id),
        "period": "2026-12", "amount_due": 100_000, "due_date": "2026-12-10",
        "va": "88888" + unpaid.head_card_number[-11:], "locale": "id"}


async def test_a_family_paid_for_by_others_keeps_the_registers_coverage(uow) -> None:
    e = family(member("PBI_APBN", 3), coverage="non_active", arrears=2)
    await enrol(uow, e)
    assert (e.family_id not in {i for _, i in await _candidates(uow, at_wib(2026, 12, 2))})
    await coverage.refresh(uow, "family", e.family_id, now=at_wib(2026, 12, 2))
    assert (await payer(uow, e.family_id))["coverage"] == "non_active"
    assert await staged(uow, "CoverageStatusChanged") == []
