"""When a new PBPU family's first premium is accepted: day 14 to day 30 after registration."""

from __future__ import annotations

from datetime import date, timedelta

# domain.md §0, §3 "Registration" [S23]: no earlier than day 14 and no later than day 30 after
# registration (the 2014 seven-day rule is outdated [S24]).
FIRST_DAY = 14
LAST_DAY = 30


def first_premium_window(registered_on: date) -> tuple[date, date]:
    """The first and last (WIB) day the first premium is accepted, both included."""
    # Product decision: the registration day is day 0, so day 14 is registered_on + 14 days.
    return registered_on + timedelta(days=FIRST_DAY), registered_on + timedelta(days=LAST_DAY)


def first_premium_accepted(registered_on: date, paid_on: date) -> bool:
    """True when a first premium paid on paid_on (WIB) falls inside the window."""
    earliest, latest = first_premium_window(registered_on)
    return earliest <= paid_on <= latest
