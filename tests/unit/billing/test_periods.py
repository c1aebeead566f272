"""Billing periods: YYYY-MM parsing, month arithmetic, due dates and the WIB calendar day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from common.errors import InvalidInput
from services.billing.domain.periods import DUE_DAY, Period, local_date, periods_between


@pytest.mark.parametrize(("text", "year", "month"), [("2026-01", 2026, 1), ("2026-12", 2026, 12),
                                                     ("0001-07", 1, 7)])
def test_parse(text: str, year: int, month: int) -> None:
    assert Period.parse(text) == Period(year, month)
    assert str(Period.parse(text)) == text


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-01", "2026/01", " 2026-01",
                                  "2026-01 ", "202601", "0000-01", "", "2026-01-01", "２０２６-01"])
def test_parse_refuses_anything_but_yyyy_mm(text: str) -> None:
    with pytest.raises(InvalidInput) as e:
        Period.parse(text, field="period")
    assert e.value.fields == ("period",)


def test_parse_refuses_non_text() -> None:
    with pytest.raises(InvalidInput):
        Period.parse(202601)  # type: ignore[arg-type]


@pytest.mark.parametrize("month", [0, 13, -1])
def test_constructor_refuses_impossible_months(month: int) -> None:
    with pytest.raises(ValueError):
        Period(2026, month)


def test_arithmetic_crosses_years() -> None:
    assert Period(2026, 12) + 1 == Period(2027, 1)
    assert Period(2026, 1) + -1 == Period(2025, 12)
    assert Period(2026, 3) + 24 == Period(2028, 3)
    assert Period(2027, 1) - Period(2026, 12) == 1
    assert Period(2026, 1) - Period(2028, 1) == -24
    assert Period(2026, 12).next() == Period(2027, 1)


def test_order() -> None:
    assert Period(2025, 12) < Period(2026, 1) < Period(2026, 2)
    assert sorted([Period(2026, 2), Period(2025, 12)]) == [Period(2025, 12), Period(2026, 2)]


def test_dates() -> None:
    assert DUE_DAY == 10
    assert Period(2026, 2).first_day() == date(2026, 2, 1)
    assert Period(2026, 2).due_date() == date(2026, 2, 10)
    assert Period(2026, 2).reminder_date() == date(2026, 2, 7)
    assert Period.of(date(2026, 2, 28)) == Period(2026, 2)


def test_periods_between() -> None:
    assert periods_between(Period(2026, 11), Period(2027, 2)) == [
        Period(2026, 11), Period(2026, 12), Period(2027, 1), Period(2027, 2)]
    assert periods_between(Period(2026, 5), Period(2026, 5)) == [Period(2026, 5)]
    assert periods_between(Period(2026, 5), Period(2026, 4)) == []


def test_local_date_is_jakarta() -> None:
    # 16:59 UTC on the 10th is 23:59 WIB on the 10th; one minute later it is the 11th in WIB.
    assert local_date(datetime(2026, 3, 10, 16, 59, tzinfo=UTC)) == date(2026, 3, 10)
    assert local_date(datetime(2026, 3, 10, 17, 0, tzinfo=UTC)) == date(2026, 3, 11)
    # The month changes in WIB first, too: 31 Jan 17:00 UTC is 1 Feb.
    assert Period.of(local_date(datetime(2026, 1, 31, 17, 0, tzinfo=UTC))) == Period(2026, 2)
    other = timezone(timedelta(hours=-5))
    assert local_date(datetime(2026, 3, 10, 12, 0, tzinfo=other)) == date(2026, 3, 11)


def test_local_date_refuses_naive() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 10, 12, 0))
