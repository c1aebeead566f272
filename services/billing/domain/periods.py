"""Billing periods (YYYY-MM), their due dates and the programme's calendar day (WIB)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from common.errors import InvalidInput

# Due dates and coverage follow the day in Jakarta (domain.md §0): a payment at 00:30 WIB on the
# 11th is late even though it is still the 10th in UTC.
WIB = ZoneInfo("Asia/Jakarta")
# domain.md §0, §3 "Payment": due by the 10th of the month (window 1-10), no late fee.
DUE_DAY = 10
# Issue 16: the member is reminded 3 days before the due date if the month is still unpaid.
REMINDER_DAYS_BEFORE = 3

_PERIOD = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


def local_date(now: datetime) -> date:
    """The programme's calendar day (WIB) of an aware moment; ValueError on naive datetimes."""
    # A naive datetime could be server-local or UTC; guessing would shift dates by 7 hours.
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: use a timezone-aware datetime")
    return now.astimezone(WIB).date()


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month that a premium is owed for, written YYYY-MM."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not (1 <= self.month <= 12 and 1 <= self.year <= 9999):
            raise ValueError(f"no such period {self.year}-{self.month}")

    @classmethod
    def parse(cls, text: str, field: str = "period") -> Period:
        """A period from exactly YYYY-MM; InvalidInput naming `field` otherwise."""
        m = _PERIOD.fullmatch(text) if isinstance(text, str) else None
        if m is None or int(m.group(1)) == 0:
            raise InvalidInput(
                "period_format",
                "A period is written YYYY-MM, for example 2026-07.",
                "Periode ditulis YYYY-MM, misalnya 2026-07.",
                field=field,
            )
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, d: date) -> Period:
        """The period a (WIB) date falls in."""
        return cls(d.year, d.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __add__(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def __sub__(self, other: Period) -> int:
        """Whole months from other to self (self - other)."""
        return (self.year - other.year) * 12 + self.month - other.month

    def next(self) -> Period:
        """The month after this one."""
        return self + 1

    def first_day(self) -> date:
        """The 1st of this month."""
        return date(self.year, self.month, 1)

    def due_date(self) -> date:
        """The last day this month's premium is on time: the 10th (domain.md §0)."""
        return date(self.year, self.month, DUE_DAY)

    def reminder_date(self) -> date:
        """The day an unpaid month's reminder goes out: 3 days before the due date (the 7th)."""
        return self.due_date() - timedelta(days=REMINDER_DAYS_BEFORE)


def periods_between(first: Period, last: Period) -> list[Period]:
    """Every period from first to last, both included (empty when last is before first)."""
    return [first + i for i in range(last - first + 1)]
