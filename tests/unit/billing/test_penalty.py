"""Denda pelayanan: 5% x cost x months (12 at most), Rp30 juta cap, 45 days after reactivation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from common.errors import InvalidInput
from services.billing.domain.penalty import (
    CAP,
    MAX_MONTHS,
    WINDOW_DAYS,
    Penalty,
    penalty_window_end,
    service_penalty,
)

REACTIVATED = date(2026, 11, 20)
END = date(2027, 1, 4)  # 20 Nov + 45 days


def on_day(n: int) -> date:
    return REACTIVATED + timedelta(days=n)


def test_constants() -> None:
    assert (MAX_MONTHS, CAP, WINDOW_DAYS) == (12, 30_000_000, 45)
    assert penalty_window_end(REACTIVATED) == END


@pytest.mark.parametrize(("day", "applies"), [(-1, False), (0, True), (1, True), (44, True),
                                              (45, True), (46, False), (400, False)])
def test_the_45_day_window(day: int, applies: bool) -> None:
    penalty = service_penalty(10_000_000, 3, REACTIVATED, on_day(day))
    assert penalty.amount == (1_500_000 if applies else 0)
    assert penalty.window_ends == END


@pytest.mark.parametrize(("months", "counted"), [(0, 0), (1, 1), (11, 11), (12, 12), (13, 12),
                                                 (24, 12)])
def test_months_count_up_to_12(months: int, counted: int) -> None:
    penalty = service_penalty(10_000_000, months, REACTIVATED, on_day(10))
    assert penalty == Penalty(500_000 * counted, counted, END)


@pytest.mark.parametrize(
    ("cost", "months", "amount"),
    [
        (50_000_000, 12, 30_000_000),  # exactly the cap
        (49_999_999, 12, 29_999_999),  # 29,999,999.4 -> down, under the cap
        (50_000_001, 12, 30_000_000),
        (500_000_000, 12, 30_000_000),
        (60_000_000, 10, 30_000_000),
        (10, 1, 1),  # 0.5 -> half up
        (9, 1, 0),  # 0.45 -> down
        (0, 12, 0),
    ],
)
def test_amount_rounding_and_cap(cost: int, months: int, amount: int) -> None:
    assert service_penalty(cost, months, REACTIVATED, on_day(0)).amount == amount


def test_never_reactivated_means_no_penalty() -> None:
    assert service_penalty(10_000_000, 5, None, REACTIVATED) == Penalty(0, 0, None)


@pytest.mark.parametrize("cost", [-1, 1.5, "100", None, True])
def test_bad_cost_names_the_field(cost: object) -> None:
    with pytest.raises(InvalidInput) as e:
        service_penalty(cost, 3, REACTIVATED, REACTIVATED)  # type: ignore[arg-type]
    assert e.value.fields == ("inpatient_cost",)


def test_negative_months_is_a_bug() -> None:
    with pytest.raises(ValueError):
        service_penalty(1, -1, REACTIVATED, REACTIVATED)
