"""Quiet hours: 21:00-06:00 WIB by default; what is not urgent waits until they end."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import pytest

from services.notify.domain.quiet import URGENT, QuietHours, release_at
from services.notify.domain.routing import Kind
from services.notify.domain.templates import WIB

DEFAULT = QuietHours()
NOT_URGENT = [k for k in Kind if k not in URGENT]


def wib(d: int, h: int, m: int = 0, s: int = 0, month: int = 12, year: int = 2026) -> datetime:
    return datetime(year, month, d, h, m, s, tzinfo=WIB)


def test_the_default_is_21_to_6_and_only_codes_and_queue_calls_are_urgent():
    assert (DEFAULT.start, DEFAULT.end) == (time(21), time(6))
    assert URGENT == {Kind.SECURITY_CODE, Kind.QUEUE_CALL}


@pytest.mark.parametrize(
    ("now", "release"),
    [
        (wib(1, 20, 59, 59), None),
        (wib(1, 21), wib(2, 6)),
        (wib(1, 23, 59, 59), wib(2, 6)),
        (wib(2, 0), wib(2, 6)),
        (wib(2, 5, 59, 59), wib(2, 6)),
        (wib(2, 6), None),
        (wib(2, 12), None),
    ],
)
def test_held_from_21_inclusive_to_6_exclusive_and_released_at_6(now, release):
    assert release_at(now, DEFAULT, Kind.GENERAL) == release


@pytest.mark.parametrize("kind", NOT_URGENT)
def test_every_kind_that_is_not_urgent_is_held(kind):
    assert release_at(wib(1, 23), DEFAULT, kind) == wib(2, 6)


@pytest.mark.parametrize("kind", sorted(URGENT))
def test_codes_and_queue_calls_are_never_held(kind):
    assert release_at(wib(1, 23), DEFAULT, kind) is None
    assert release_at(wib(2, 3), QuietHours(time(0), time(23, 59)), kind) is None


def test_the_release_is_given_in_utc_whatever_zone_the_clock_reads():
    now = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # 21:00 WIB
    release = release_at(now, DEFAULT, Kind.BILLING)
    assert release == datetime(2026, 12, 1, 23, 0, tzinfo=UTC) and release.tzinfo is UTC
    wit = timezone(timedelta(hours=9))  # Papua: 23:30 WIT is 21:30 WIB, already quiet
    assert release_at(datetime(2026, 12, 1, 23, 30, tzinfo=wit), DEFAULT, Kind.GENERAL) == (
        wib(2, 6).astimezone(UTC)
    )


def test_the_release_crosses_the_year_end():
    assert release_at(wib(31, 22), DEFAULT, Kind.GENERAL) == datetime(2027, 1, 1, 6, tzinfo=WIB)


def test_a_window_inside_one_day():
    siesta = QuietHours(time(13), time(15))
    assert release_at(wib(1, 12, 59), siesta, Kind.GENERAL) is None
    assert release_at(wib(1, 13), siesta, Kind.GENERAL) == wib(1, 15)
    assert release_at(wib(1, 14, 59), siesta, Kind.GENERAL) == wib(1, 15)
    assert release_at(wib(1, 15), siesta, Kind.GENERAL) is None
    assert release_at(wib(1, 22), siesta, Kind.GENERAL) is None


def test_a_members_own_hours_to_the_minute():
    mine = QuietHours(time(22, 30), time(5, 15))
    assert release_at(wib(1, 22, 29), mine, Kind.COMPLAINT) is None
    assert release_at(wib(1, 22, 30), mine, Kind.COMPLAINT) == wib(2, 5, 15)
    assert release_at(wib(2, 5, 14), mine, Kind.COMPLAINT) == wib(2, 5, 15)
    assert release_at(wib(2, 5, 15), mine, Kind.COMPLAINT) is None


def test_equal_start_and_end_means_no_quiet_hours():
    off = QuietHours(time(21), time(21))
    assert all(not off.covers(time(h)) for h in range(24))
    assert release_at(wib(1, 21), off, Kind.GENERAL) is None


def test_a_naive_clock_or_zoned_hours_are_refused():
    with pytest.raises(ValueError, match="aware"):
        release_at(datetime(2026, 12, 1, 22), DEFAULT, Kind.GENERAL)
    with pytest.raises(ValueError, match="wall-clock"):
        QuietHours(time(21, tzinfo=UTC), time(6))
