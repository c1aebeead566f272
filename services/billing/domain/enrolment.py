"""What a family's enrolment bills at once: its opening arrears, or a new family's first bill."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from services.billing.domain.arrears import MAX_COUNTED_ARREARS
from services.billing.domain.bills import Bill
from services.billing.domain.first_premium import first_premium_window
from services.billing.domain.periods import Period


def opening_periods(as_of: date, arrears_months: int) -> list[Period]:
    """The `arrears_months` months before as_of's month, oldest first (the register's unpaid
    months carried over into billing)."""
    current = Period.of(as_of)
    return [current + -months for months in range(arrears_months, 0, -1)]


def counted_opening(bills: Sequence[Bill]) -> int:
    """The months of arrears the opening bills count for (24 at most)."""
    return min(len(bills), MAX_COUNTED_ARREARS)


def first_bill_due(registered_on: Sequence[date], as_of: date, arrears_months: int,
                   ) -> date | None:
    """The due date of a new family's first bill, or None when the family is not new.

    Product decision: a family is new when every member registered in as_of's month and it
    carries no arrears (a new PBPU registration). Its first month is billed at enrolment, due on
    the last day the first premium is accepted (day 30 after the latest registration), since the
    10th may already have passed or come before day 14.
    """
    if arrears_months or not registered_on:
        return None
    current = Period.of(as_of)
    if any(Period.of(d) != current for d in registered_on):
        return None
    return first_premium_window(max(registered_on))[1]
