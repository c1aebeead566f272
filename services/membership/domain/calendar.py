"""The programme's calendar: WIB days, whole months and dates written for members."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

# Deadlines and effective dates follow the day in Jakarta, not UTC: a request sent at 00:30 WIB
# on the 1st belongs to the 1st even though it is still the 30th/31st in UTC.
WIB = ZoneInfo("Asia/Jakarta")

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def local_date(now: datetime) -> date:
    """The programme's calendar day (WIB) of an aware moment; ValueError on naive datetimes."""
    # A naive datetime could be server-local or UTC; guessing would shift dates by up to 7 hours.
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: use a timezone-aware datetime")
    return now.astimezone(WIB).date()


def _days_in_month(year: int, month: int) -> int:
    # Computed rather than taken from the stdlib calendar module, which this module shadows
    # for anyone who runs it from inside this directory.
    nxt = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return (nxt - timedelta(days=1)).day


def add_months(d: date, n: int) -> date:
    """The same day n months later (or earlier), clamped to the end of a shorter month."""
    index = d.year * 12 + (d.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def first_of_next_month(d: date) -> date:
    """The 1st of the month after d (a date on the 1st still moves to the next month)."""
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def months_elapsed(since: date, today: date, months: int) -> bool:
    """True when at least `months` whole months have passed: today >= add_months(since, months)."""
    return today >= add_months(since, months)


def format_date_id(d: date) -> str:
    """A date as Indonesian members read it: 1 Februari 2027."""
    return f"{d.day} {MONTHS_ID[d.month - 1]} {d.year}"


def format_date_en(d: date) -> str:
    """A date in plain English: 1 February 2027."""
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"
