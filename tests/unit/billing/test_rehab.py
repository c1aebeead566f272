"""REHAB: 4 to 24 months of arrears, 2 to 12 parts summing exactly, reactivation when all paid."""

from __future__ import annotations

from datetime import date

import pytest

from common.errors import InvalidInput, RuleViolated
from services.billing.domain.periods import Period
from services.billing.domain.rehab import (
    MAX_PARTS,
    Instalment,
    check_eligible,
    first_instalment_period,
    instalments_paid,
    plan_reactivates,
    schedule,
)

DEC = Period(2026, 12)


@pytest.mark.parametrize("months", [4, 5, 12, 23, 24])
@pytest.mark.parametrize("segment", ["PBPU", "BP"])
def test_eligible(segment: str, months: int) -> None:
    check_eligible(segment, months)


@pytest.mark.parametrize("months", [0, 1, 3, 25, 40])
def test_arrears_outside_4_to_24(months: int) -> None:
    with pytest.raises(RuleViolated) as e:
        check_eligible("PBPU", months)
    assert e.value.code == "rehab_arrears"


@pytest.mark.parametrize("segment", ["PPU_BU", "PPU_PN", "PBI_APBN", "PBI_APBD"])
def test_other_segments(segment: str) -> None:
    with pytest.raises(RuleViolated) as e:
        check_eligible(segment, 6)
    assert e.value.code == "rehab_segment"


@pytest.mark.parametrize(("today", "first"), [(date(2026, 12, 1), DEC), (date(2026, 12, 10), DEC),
                                              (date(2026, 12, 11), Period(2027, 1)),
                                              (date(2026, 12, 31), Period(2027, 1))])
def test_first_instalment_period(today: date, first: Period) -> None:
    assert first_instalment_period(today) == first


def test_schedule_example() -> None:
    # 7 months x Rp35,000 = Rp245,000 in 4 parts: 61,250 each, no remainder.
    assert schedule(245_000, 4, DEC) == [
        Instalment(1, DEC, date(2026, 12, 10), 61_250),
        Instalment(2, Period(2027, 1), date(2027, 1, 10), 61_250),
        Instalment(3, Period(2027, 2), date(2027, 2, 10), 61_250),
        Instalment(4, Period(2027, 3), date(2027, 3, 10), 61_250),
    ]


def test_remainder_goes_on_the_first_part() -> None:
    parts = schedule(1_000_001, 3, DEC)
    assert [p.amount for p in parts] == [333_335, 333_333, 333_333]


@pytest.mark.parametrize("parts", range(2, MAX_PARTS + 1))
@pytest.mark.parametrize("total", [4 * 35_000, 7 * 42_000 * 3 + 1, 24 * 150_000 * 6, 13, 100_003])
def test_parts_sum_exactly_to_the_arrears(total: int, parts: int) -> None:
    plan = schedule(total, parts, DEC)
    assert len(plan) == parts
    assert sum(p.amount for p in plan) == total
    assert [p.number for p in plan] == list(range(1, parts + 1))
    assert [p.period for p in plan] == [DEC + i for i in range(parts)]
    # Every later part is equal; the first is at most parts-1 rupiah larger.
    assert len({p.amount for p in plan[1:]}) == 1
    assert 0 <= plan[0].amount - plan[-1].amount < parts


@pytest.mark.parametrize("parts", [0, 1, 13, True])
def test_parts_outside_2_to_12(parts: int) -> None:
    with pytest.raises(InvalidInput) as e:
        schedule(420_000, parts, DEC)
    assert e.value.fields == ("parts",)


@pytest.mark.parametrize("total", [0, -1])
def test_total_must_be_positive(total: int) -> None:
    with pytest.raises(InvalidInput) as e:
        schedule(total, 4, DEC)
    assert e.value.fields == ("arrears_total",)


def test_instalments_paid_counts_whole_parts() -> None:
    plan = schedule(1_000_001, 3, DEC)  # 333,335 / 333,333 / 333,333
    assert instalments_paid(plan, 0) == 0
    assert instalments_paid(plan, 333_334) == 0
    assert instalments_paid(plan, 333_335) == 1
    assert instalments_paid(plan, 666_667) == 1
    assert instalments_paid(plan, 666_668) == 2
    assert instalments_paid(plan, 1_000_001) == 3
    assert instalments_paid(plan, 5_000_000) == 3


def test_plan_reactivates_only_when_all_parts_and_the_current_month_are_paid() -> None:
    plan = schedule(420_000, 12, DEC)
    assert not plan_reactivates(plan, 385_000, current_paid=True)  # 11 of 12
    assert not plan_reactivates(plan, 420_000, current_paid=False)
    assert plan_reactivates(plan, 420_000, current_paid=True)
    assert not plan_reactivates([], 0, current_paid=True)
