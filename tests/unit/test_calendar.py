"""The programme calendar: WIB days, month arithmetic and dates written for members."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from services.membership.domain.calendar import (
    WIB,
    add_months,
    first_of_next_month,
    format_date_en,
    format_date_id,
    local_date,
    months_elapsed,
)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # 17:00 UTC is midnight WIB (UTC+7).
        (datetime(2026, 11, 30, 17, 30, tzinfo=UTC), date(2026, 12, 1)),
        (datetime(2026, 11, 30, 16, 59, 59, tzinfo=UTC), date(2026, 11, 30)),
        (datetime(2026, 11, 30, 17, 0, tzinfo=UTC), date(2026, 12, 1)),
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), date(2027, 1, 1)),
        (datetime(2026, 12, 31, 16, 59, tzinfo=UTC), date(2026, 12, 31)),
        (datetime(2024, 2, 28, 17, 0, tzinfo=UTC), date(2024, 2, 29)),
        (datetime(2026, 6, 15, 0, 0, tzinfo=UTC), date(2026, 6, 15)),
        # Already in WIB, or in another zone altogether.
        (datetime(2026, 12, 1, 0, 0, tzinfo=WIB), date(2026, 12, 1)),
        (datetime(2026, 11, 30, 23, 59, tzinfo=WIB), date(2026, 11, 30)),
        (datetime(2026, 12, 1, 1, 0, tzinfo=timezone(timedelta(hours=9))), date(2026, 11, 30)),
        (datetime(2026, 11, 30, 12, 0, tzinfo=timezone(timedelta(hours=-5))), date(2026, 12, 1)),
    ],
)
def test_local_date_is_the_day_in_jakarta(moment: datetime, expected: date) -> None:
    assert local_date(moment) == expected


def test_local_date_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_date(datetime(2026, 11, 30, 17, 30))


def test_wib_is_utc_plus_seven_all_year() -> None:
    # Indonesia has no daylight saving time.
    for month in range(1, 13):
        assert datetime(2026, month, 1, tzinfo=WIB).utcoffset() == timedelta(hours=7)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 3, date(2024, 5, 29)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 1, 31), 3, date(2026, 4, 30)),
        (date(2026, 2, 28), 3, date(2026, 5, 28)),
        (date(2026, 8, 31), 3, date(2026, 11, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 10, 31), 2, date(2026, 12, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 10, 1), 3, date(2027, 1, 1)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
        (date(2026, 5, 17), 12, date(2027, 5, 17)),
        (date(2026, 5, 17), 25, date(2028, 6, 17)),
        # Backwards, for completeness.
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2027, 1, 15), -1, date(2026, 12, 15)),
        (date(2025, 2, 28), -12, date(2024, 2, 28)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 1), date(2026, 2, 1)),  # the 1st still moves to the next month
        (date(2026, 1, 15), date(2026, 2, 1)),
        (date(2026, 1, 31), date(2026, 2, 1)),
        (date(2024, 2, 29), date(2024, 3, 1)),
        (date(2026, 11, 30), date(2026, 12, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2026, 12, 31), date(2027, 1, 1)),
    ],
)
def test_first_of_next_month(day: date, expected: date) -> None:
    assert first_of_next_month(day) == expected


@pytest.mark.parametrize(
    ("since", "allowed_from"),
    [
        (date(2026, 1, 31), date(2026, 4, 30)),
        (date(2026, 2, 28), date(2026, 5, 28)),
        (date(2026, 8, 31), date(2026, 11, 30)),
        (date(2026, 11, 30), date(2027, 2, 28)),
        (date(2024, 2, 29), date(2024, 5, 29)),
        (date(2026, 10, 15), date(2027, 1, 15)),
        (date(2026, 3, 1), date(2026, 6, 1)),
    ],
)
def test_months_elapsed_three_months_boundary(since: date, allowed_from: date) -> None:
    day_before = allowed_from - timedelta(days=1)
    assert not months_elapsed(since, day_before, 3)
    assert months_elapsed(since, allowed_from, 3)
    assert months_elapsed(since, allowed_from + timedelta(days=1), 3)


@pytest.mark.parametrize(
    ("since", "allowed_from"),
    [
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2025, 1, 31), date(2026, 1, 31)),
        (date(2025, 12, 31), date(2026, 12, 31)),
    ],
)
def test_months_elapsed_twelve_months_boundary(since: date, allowed_from: date) -> None:
    assert not months_elapsed(since, allowed_from - timedelta(days=1), 12)
    assert months_elapsed(since, allowed_from, 12)


def test_months_elapsed_with_today_before_since() -> None:
    assert not months_elapsed(date(2026, 5, 1), date(2026, 4, 1), 3)
    assert months_elapsed(date(2026, 5, 1), date(2026, 5, 1), 0)


@pytest.mark.parametrize(
    ("day", "indonesian", "english"),
    [
        (date(2027, 1, 1), "1 Januari 2027", "1 January 2027"),
        (date(2027, 2, 1), "1 Februari 2027", "1 February 2027"),
        (date(2027, 3, 9), "9 Maret 2027", "9 March 2027"),
        (date(2027, 4, 30), "30 April 2027", "30 April 2027"),
        (date(2027, 5, 15), "15 Mei 2027", "15 May 2027"),
        (date(2027, 6, 1), "1 Juni 2027", "1 June 2027"),
        (date(2027, 7, 17), "17 Juli 2027", "17 July 2027"),
        (date(2027, 8, 17), "17 Agustus 2027", "17 August 2027"),
        (date(2027, 9, 2), "2 September 2027", "2 September 2027"),
        (date(2027, 10, 28), "28 Oktober 2027", "28 October 2027"),
        (date(2027, 11, 10), "10 November 2027", "10 November 2027"),
        (date(2027, 12, 31), "31 Desember 2027", "31 December 2027"),
        (date(2028, 2, 29), "29 Februari 2028", "29 February 2028"),
    ],
)
def test_format_dates(day: date, indonesian: str, english: str) -> None:
    assert format_date_id(day) == indonesian
    assert format_date_en(day) == english
