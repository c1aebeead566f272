"""Arrears, coverage and what settles everything now, from a family's open months and today."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.billing.domain.periods import Period

# domain.md §0, §3 "Arrears": reactivation pays arrears, at most 24 months counted, plus the
# current month.
MAX_COUNTED_ARREARS = 24

CoverageState = Literal["active", "non_active"]


def arrears(open_periods: Iterable[Period], today: date) -> list[Period]:
    """Open months before today's month, oldest first: each missed its 10th and its month."""
    current = Period.of(today)
    return sorted({p for p in open_periods if p < current})


def counted_arrears(open_periods: Iterable[Period], today: date) -> list[Period]:
    """The arrears that count (the latest 24 at most), oldest first; older ones are not owed."""
    return arrears(open_periods, today)[-MAX_COUNTED_ARREARS:]


def collectible(open_periods: Iterable[Period], today: date) -> list[Period]:
    """The open months a payment may settle now: counted arrears, then this month and later."""
    opened = set(open_periods)
    current = Period.of(today)
    # Months beyond the 24 counted are never owed again, so money is never spent on them.
    return counted_arrears(opened, today) + sorted(p for p in opened if p >= current)


def arrears_amount(open_bills: Mapping[Period, int], today: date) -> int:
    """The rupiah of the counted arrears alone (what a REHAB plan spreads out)."""
    return sum(open_bills[p] for p in counted_arrears(open_bills, today))


def amount_due(open_bills: Mapping[Period, int], today: date, credit: int = 0) -> int:
    """What settles everything now: counted arrears plus this month's bill, less credit."""
    # Bills issued ahead for a later month are not due yet, so they are left out here; a
    # payment that covers them anyway settles them, oldest first (settlement.settle).
    current = Period.of(today)
    owed = arrears_amount(open_bills, today) + open_bills.get(current, 0)
    return max(owed - credit, 0)


@dataclass(frozen=True)
class Coverage:
    """A family's coverage on a day, and since when it is non-active when it is."""

    state: CoverageState
    non_active_from: date | None = None
    arrears_months: int = 0


def coverage_status(open_periods: Iterable[Period], today: date, *, was_active: bool) -> Coverage:
    """The coverage on today (WIB) from the open months and the state before today."""
    opened = set(open_periods)
    late = arrears(opened, today)
    if late:
        # §0: unpaid after the 10th -> non-active from the 1st of the next month. A month is
        # arrears from the 1st of the next month, so that is also when coverage stops.
        counted = min(len(late), MAX_COUNTED_ARREARS)
        return Coverage("non_active", late[0].next().first_day(), counted)
    # §0: reactivation needs the counted arrears *and* the current month paid: a family that
    # was non-active stays so while this month is still open, even inside its due window.
    if not was_active and Period.of(today) in opened:
        return Coverage("non_active")
    return Coverage("active")
