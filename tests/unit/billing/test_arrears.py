"""Arrears (24 counted at most), amount due, and coverage following payment."""

from __future__ import annotations

from datetime import date

import pytest

from services.billing.domain.arrears import (
    MAX_COUNTED_ARREARS,
    Coverage,
    amount_due,
    arrears,
    arrears_amount,
    collectible,
    counted_arrears,
    coverage_status,
)
from services.billing.domain.periods import Period, periods_between

P = Period.parse
TODAY = date(2026, 11, 20)
NOV = P("2026-11")


def months_before(n: int, current: Period = NOV) -> list[Period]:
    return periods_between(current + -n, current + -1)


def test_arrears_are_open_months_before_this_one() -> None:
    opened = [P("2027-01"), NOV, P("2026-10"), P("2026-08")]
    assert arrears(opened, TODAY) == [P("2026-08"), P("2026-10")]
    assert arrears([], TODAY) == []
    assert arrears([NOV, P("2026-12")], TODAY) == []


@pytest.mark.parametrize(("open_months", "counted"), [(1, 1), (23, 23), (24, 24), (25, 24),
                                                      (40, 24)])
def test_at_most_24_months_count(open_months: int, counted: int) -> None:
    got = counted_arrears(months_before(open_months), TODAY)
    assert MAX_COUNTED_ARREARS == 24
    assert len(got) == counted
    # The latest ones count: the month before this one is always among them.
    assert got[-1] == P("2026-10")
    assert got[0] == NOV + -counted


def test_collectible_is_counted_arrears_then_this_month_and_later() -> None:
    opened = [*months_before(26), NOV, P("2026-12")]
    got = collectible(opened, TODAY)
    assert got == [*months_before(24), NOV, P("2026-12")]


def test_amount_due_is_counted_arrears_plus_this_month() -> None:
    bills = {P("2026-09"): 100_000, P("2026-10"): 100_000, NOV: 150_000, P("2026-12"): 150_000}
    assert amount_due(bills, TODAY) == 350_000  # December is not due yet
    assert amount_due(bills, TODAY, credit=50_000) == 300_000
    assert amount_due(bills, TODAY, credit=10**9) == 0
    assert amount_due({}, TODAY) == 0
    assert amount_due({P("2026-12"): 150_000}, TODAY) == 0


def test_amount_due_ignores_months_beyond_the_24_counted() -> None:
    bills = dict.fromkeys(months_before(30), 35_000) | {NOV: 35_000}
    assert amount_due(bills, TODAY) == 25 * 35_000


def test_nothing_open_is_active() -> None:
    assert coverage_status([], TODAY, was_active=True) == Coverage("active")
    assert coverage_status([], TODAY, was_active=False) == Coverage("active")


@pytest.mark.parametrize("day", [1, 10, 11, 30])
def test_this_month_open_stays_active_all_month(day: int) -> None:
    # Unpaid after the 10th is late, but coverage stops only on the 1st of the next month.
    assert coverage_status([NOV], date(2026, 11, day), was_active=True).state == "active"


def test_unpaid_month_stops_coverage_from_the_first_of_the_next() -> None:
    status = coverage_status([P("2026-10")], date(2026, 11, 1), was_active=True)
    assert status == Coverage("non_active", date(2026, 11, 1), 1)
    assert coverage_status([P("2026-10")], date(2026, 10, 31), was_active=True).state == "active"


def test_december_arrears_stop_coverage_on_the_first_of_january() -> None:
    assert coverage_status([P("2026-12")], date(2027, 1, 1), was_active=True) == Coverage(
        "non_active", date(2027, 1, 1), 1)


def test_non_active_since_the_oldest_unpaid_month() -> None:
    opened = [P("2026-07"), P("2026-09"), NOV]
    assert coverage_status(opened, TODAY, was_active=True) == Coverage(
        "non_active", date(2026, 8, 1), 2)


def test_arrears_months_are_counted_up_to_24() -> None:
    status = coverage_status(months_before(30), TODAY, was_active=False)
    assert status == Coverage("non_active", (NOV + -29).first_day(), 24)


def test_reactivation_needs_the_current_month_paid_too() -> None:
    # Arrears paid but this month still open: a non-active family stays non-active...
    assert coverage_status([NOV], TODAY, was_active=False) == Coverage("non_active")
    # ...and everything paid makes it active at once.
    assert coverage_status([], TODAY, was_active=False) == Coverage("active")
    # A bill issued ahead for next month does not hold reactivation back.
    assert coverage_status([P("2026-12")], TODAY, was_active=False) == Coverage("active")


def test_arrears_paid_but_not_this_month_falls_back_next_month() -> None:
    assert coverage_status([NOV], date(2026, 12, 1), was_active=False).state == "non_active"
    assert coverage_status([NOV], date(2026, 12, 1), was_active=True).state == "non_active"


def test_arrears_amount_is_the_counted_arrears_alone() -> None:
    bills = dict.fromkeys(months_before(26), 35_000) | {NOV: 35_000, P("2026-12"): 35_000}
    assert arrears_amount(bills, TODAY) == 24 * 35_000
    assert arrears_amount({NOV: 35_000}, TODAY) == 0
