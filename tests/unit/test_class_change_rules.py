"""Class change: R7 (PBPU/BP only), R8 (12 months), R9 (paid up, whole KK), R10 (next month)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.membership.domain.class_change import MIN_MONTHS, SEGMENTS, Family, decide
from services.membership.domain.decisions import Decision

REGISTERED = date(2025, 6, 10)
TODAY = date(2026, 8, 20)


def family(
    segment: str = "PBPU",
    care_class: int = 3,
    registered_at: date = REGISTERED,
    last_class_change: date | None = None,
    unpaid_months: int = 0,
) -> Family:
    return Family(segment, care_class, registered_at, last_class_change, unpaid_months)


def assert_rejected(decision: Decision, rule: str) -> None:
    assert decision.outcome == "rejected"
    assert decision.rule == rule
    assert decision.reason_en and decision.reason_id
    assert decision.effective_date is None


def test_constants() -> None:
    assert MIN_MONTHS == 12
    assert SEGMENTS == {"PBPU", "BP"}


@pytest.mark.parametrize("segment", ["PBPU", "BP"])
@pytest.mark.parametrize(("old", "new"), [(1, 2), (1, 3), (2, 1), (2, 3), (3, 1), (3, 2)])
def test_every_move_between_classes(segment: str, old: int, new: int) -> None:
    assert decide(family(segment, old), new, TODAY) == Decision.approve(date(2026, 9, 1))


@pytest.mark.parametrize("segment", ["PPU_BU", "PPU_PN", "PBI_APBN", "PBI_APBD", "OTHER"])
def test_other_segments_cannot_change_class(segment: str) -> None:
    assert_rejected(decide(family(segment), 1, TODAY), "class_change_segment")


def test_segment_is_checked_first() -> None:
    # Even an invalid class, a fresh registration and arrears answer with the segment rule.
    decision = decide(family("PBI_APBN", registered_at=TODAY, unpaid_months=3), 9, TODAY)
    assert_rejected(decision, "class_change_segment")


@pytest.mark.parametrize("new_class", [0, 4, -1, 12, True, False])
def test_invalid_class(new_class: int) -> None:
    assert_rejected(decide(family(), new_class, TODAY), "class_invalid")


@pytest.mark.parametrize("care_class", [1, 2, 3])
def test_same_class(care_class: int) -> None:
    decision = decide(family(care_class=care_class), care_class, TODAY)
    assert_rejected(decision, "class_same")
    assert str(care_class) in (decision.reason_en or "")


def test_same_class_is_checked_before_the_period() -> None:
    assert_rejected(decide(family(registered_at=TODAY), 3, TODAY), "class_same")


@pytest.mark.parametrize(
    ("since", "first_allowed"),
    [
        (date(2025, 6, 10), date(2026, 6, 10)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2025, 1, 31), date(2026, 1, 31)),
        (date(2025, 12, 31), date(2026, 12, 31)),
        (date(2025, 12, 1), date(2026, 12, 1)),
        (date(2027, 2, 28), date(2028, 2, 28)),
    ],
)
@pytest.mark.parametrize("via_last_change", [False, True])
def test_twelve_month_boundary(since: date, first_allowed: date, via_last_change: bool) -> None:
    if via_last_change:
        fam = family(registered_at=date(2010, 1, 1), last_class_change=since)
    else:
        fam = family(registered_at=since)
    assert_rejected(decide(fam, 1, first_allowed - timedelta(days=1)), "class_min_period")
    approved = decide(fam, 1, first_allowed)
    assert approved.outcome == "approved"


def test_last_change_counts_over_registration() -> None:
    fam = family(registered_at=date(2020, 1, 1), last_class_change=date(2026, 3, 1))
    decision = decide(fam, 1, TODAY)
    assert_rejected(decision, "class_min_period")
    assert decision.reason_id == (
        "Perubahan kelas baru dapat diajukan 12 bulan setelah perubahan kelas terakhir "
        "(mulai 1 Maret 2027)."
    )
    assert "1 March 2027" in (decision.reason_en or "")
    assert "last class change" in (decision.reason_en or "")


def test_min_period_after_registration_names_the_date() -> None:
    decision = decide(family(registered_at=date(2026, 1, 31)), 1, TODAY)
    assert_rejected(decision, "class_min_period")
    assert decision.reason_id == (
        "Perubahan kelas baru dapat diajukan 12 bulan setelah terdaftar (mulai 31 Januari 2027)."
    )
    assert "31 January 2027" in (decision.reason_en or "")


def test_min_period_is_checked_before_arrears() -> None:
    decision = decide(family(registered_at=date(2026, 1, 1), unpaid_months=2), 1, TODAY)
    assert_rejected(decision, "class_min_period")


@pytest.mark.parametrize("unpaid", [1, 2, 5, 24])
def test_unpaid_months_block_the_change(unpaid: int) -> None:
    decision = decide(family(unpaid_months=unpaid), 1, TODAY)
    assert_rejected(decision, "class_unpaid")
    assert f"{unpaid} bulan" in (decision.reason_id or "")
    assert f"{unpaid} unpaid" in (decision.reason_en or "")


def test_one_unpaid_month_is_singular_in_english() -> None:
    assert "1 unpaid month " in (decide(family(unpaid_months=1), 1, TODAY).reason_en or "")


def test_negative_unpaid_months_is_a_data_error() -> None:
    with pytest.raises(ValueError):
        family(unpaid_months=-1)


@pytest.mark.parametrize(
    ("today", "effective"),
    [
        (date(2026, 8, 1), date(2026, 9, 1)),  # asked on the 1st: the 1st of the NEXT month
        (date(2026, 8, 31), date(2026, 9, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),  # December -> January of the next year
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2028, 2, 29), date(2028, 3, 1)),
    ],
)
def test_effective_first_of_next_month(today: date, effective: date) -> None:
    assert decide(family(), 2, today) == Decision.approve(effective)
