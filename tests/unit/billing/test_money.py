"""Rupiah arithmetic: percentages rounded half up, and amounts checked as whole rupiah."""

from __future__ import annotations

import pytest

from common.errors import InvalidInput
from services.billing.domain.money import check_rupiah, percent_of


@pytest.mark.parametrize(
    ("amount", "bp", "expected"),
    [
        (3_000_000, 500, 150_000),  # exact
        (2_856_250, 100, 28_563),  # 28,562.5 -> half goes up
        (2_856_249, 100, 28_562),  # 28,562.49 -> down
        (2_856_251, 100, 28_563),  # 28,562.51 -> up
        (3_333_333, 400, 133_333),  # 133,333.32 -> down
        (3_333_338, 400, 133_334),  # 133,333.52 -> up
        (50, 100, 1),  # 0.5 -> 1
        (49, 100, 0),  # 0.49 -> 0
        (0, 500, 0),
        (12_345, 0, 0),
        (1_000, 10_000, 1_000),  # 100%
    ],
)
def test_percent_of_rounds_half_up(amount: int, bp: int, expected: int) -> None:
    assert percent_of(amount, bp) == expected


def test_percent_of_refuses_negatives() -> None:
    with pytest.raises(ValueError):
        percent_of(-1, 100)
    with pytest.raises(ValueError):
        percent_of(1, -100)


@pytest.mark.parametrize("value", [1, 42_000, 10**12])
def test_check_rupiah_accepts(value: int) -> None:
    assert check_rupiah(value, "amount") == value


@pytest.mark.parametrize("value", [0, -1, 1.0, 1.5, "100", None, True, False])
def test_check_rupiah_refuses(value: object) -> None:
    with pytest.raises(InvalidInput) as e:
        check_rupiah(value, "amount")
    assert e.value.fields == ("amount",)


def test_check_rupiah_minimum_zero() -> None:
    assert check_rupiah(0, "inpatient_cost", minimum=0) == 0
    with pytest.raises(InvalidInput):
        check_rupiah(-1, "inpatient_cost", minimum=0)
