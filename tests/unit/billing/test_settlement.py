"""Settlement: oldest month first, whole months only, the rest held as family credit."""

from __future__ import annotations

import pytest

from services.billing.domain.periods import Period
from services.billing.domain.settlement import OpenBill, Settlement, settle

SEP, OCT, NOV = Period(2026, 9), Period(2026, 10), Period(2026, 11)
BILLS = [OpenBill(SEP, 100_000), OpenBill(OCT, 100_000), OpenBill(NOV, 150_000)]


def test_exact_payment_settles_everything() -> None:
    s = settle(BILLS, credit=0, paid=350_000)
    assert s == Settlement(tuple(BILLS), (), 0)
    assert s.settled_periods == (SEP, OCT, NOV)


def test_oldest_first_whatever_the_input_order() -> None:
    s = settle(list(reversed(BILLS)), credit=0, paid=100_000)
    assert s.settled_periods == (SEP,)
    assert s.still_open == (BILLS[1], BILLS[2])
    assert s.credit == 0


def test_underpayment_settles_whole_months_and_holds_the_rest_as_credit() -> None:
    s = settle(BILLS, credit=0, paid=150_000)
    assert s.settled_periods == (SEP,)
    assert s.credit == 50_000
    assert [b.period for b in s.still_open] == [OCT, NOV]


def test_less_than_one_month_settles_nothing() -> None:
    s = settle(BILLS, credit=0, paid=99_999)
    assert s == Settlement((), tuple(BILLS), 99_999)


def test_held_credit_completes_a_month_with_the_next_payment() -> None:
    first = settle(BILLS, credit=0, paid=60_000)
    second = settle(first.still_open, credit=first.credit, paid=40_000)
    assert second.settled_periods == (SEP,)
    assert second.credit == 0


def test_overpayment_becomes_credit() -> None:
    s = settle(BILLS, credit=0, paid=400_000)
    assert s.settled_periods == (SEP, OCT, NOV)
    assert s.credit == 50_000


def test_credit_is_used_by_the_next_bill() -> None:
    dec = OpenBill(Period(2026, 12), 150_000)
    assert settle([dec], credit=200_000) == Settlement((dec,), (), 50_000)
    assert settle([dec], credit=149_999) == Settlement((), (dec,), 149_999)


def test_a_cheaper_later_month_is_never_paid_before_an_older_one() -> None:
    # October (after a class change) costs less, but September must be settled first.
    bills = [OpenBill(SEP, 150_000), OpenBill(OCT, 100_000)]
    s = settle(bills, credit=0, paid=120_000)
    assert s.settled == ()
    assert s.credit == 120_000


def test_no_open_bills_all_is_credit() -> None:
    assert settle([], credit=5, paid=10) == Settlement((), (), 15)


@pytest.mark.parametrize(("credit", "paid"), [(-1, 0), (0, -1)])
def test_negative_money_is_a_bug(credit: int, paid: int) -> None:
    with pytest.raises(ValueError):
        settle(BILLS, credit=credit, paid=paid)
