"""What an enrolment bills at once: opening arrears months, a new family's first bill, and a
family's own bill (its government and employer lines go on their payers' bills)."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import InvalidInput
from services.billing.domain.bills import Participant, Payer, family_bills
from services.billing.domain.enrolment import counted_opening, first_bill_due, opening_periods
from services.billing.domain.periods import Period
from services.billing.domain.tariffs import TARIFFS

KK = "1871092005100003"


def test_opening_periods_are_the_months_before_as_of_oldest_first() -> None:
    assert opening_periods(date(2026, 11, 1), 3) == [
        Period(2026, 8), Period(2026, 9), Period(2026, 10)]
    assert opening_periods(date(2026, 1, 31), 2) == [Period(2025, 11), Period(2025, 12)]
    assert opening_periods(date(2026, 11, 1), 0) == []


def test_a_family_bill_holds_only_what_the_family_pays() -> None:
    people = [Participant("h", "PBPU", 3, relationship="head"),
              Participant("c", "PBPU", 3, relationship="child")]
    [bill] = family_bills(KK, people, [Period(2026, 12)], TARIFFS)
    assert bill.payer == Payer("family", KK)
    assert [(line.member_id, line.part, line.amount) for line in bill.lines] == [
        ("h", "premium", 35_000), ("c", "premium", 35_000)]  # the Rp7,000 is APBN's
    assert bill.total == 70_000


def test_months_no_tariff_prices_are_left_out() -> None:
    people = [Participant("h", "BP", 1)]
    bills = family_bills(KK, people, [Period(2020, 12), Period(2021, 1)], TARIFFS)
    assert [b.period for b in bills] == [Period(2021, 1)]
    assert bills[0].total == 150_000


def test_a_family_billed_to_others_has_no_bill_of_its_own() -> None:
    people = [Participant("h", "PBI_APBN", 3), Participant("s", "PBI_APBN", 3)]
    assert family_bills(KK, people, [Period(2026, 12)], TARIFFS) == []


def test_data_the_rules_refuse_is_not_swallowed() -> None:
    with pytest.raises(InvalidInput) as err:
        family_bills(KK, [Participant("h", "PPU_BU", 1)], [Period(2026, 12)], TARIFFS)
    assert err.value.code == "ppu_employer_missing"


def test_counted_opening_stops_at_24() -> None:
    [bill] = family_bills(KK, [Participant("h", "PBPU", 2)], [Period(2026, 1)], TARIFFS)
    assert counted_opening([bill] * 30) == 24
    assert counted_opening([bill] * 3) == 3
    assert counted_opening([]) == 0


@pytest.mark.parametrize(("registered", "as_of", "arrears", "due"), [
    # All registered this month, nothing owed: due on day 30 after the latest registration.
    ([date(2026, 12, 3), date(2026, 12, 3)], date(2026, 12, 3), 0, date(2027, 1, 2)),
    ([date(2026, 12, 1), date(2026, 12, 5)], date(2026, 12, 5), 0, date(2027, 1, 4)),
    # A member from an earlier month: not a new family.
    ([date(2026, 11, 30), date(2026, 12, 1)], date(2026, 12, 1), 0, None),
    # Carried arrears: not new, the opening bills are its bills.
    ([date(2026, 12, 1)], date(2026, 12, 1), 1, None),
    ([], date(2026, 12, 1), 0, None),
])
def test_first_bill_due(registered, as_of, arrears, due) -> None:
    assert first_bill_due(registered, as_of, arrears) == due


def test_a_first_bill_is_due_inside_the_first_premium_window() -> None:
    registered = date(2026, 12, 20)
    due = first_bill_due([registered], registered, 0)
    assert due is not None and (due - registered).days == 30
