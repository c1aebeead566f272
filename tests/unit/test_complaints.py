"""Complaints (Pengaduan): categories and their targets, ticket numbers, the text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.membership.domain.calendar import WIB
from services.membership.domain.complaints import (
    CATEGORIES,
    CATEGORY_LABELS,
    ComplaintStatus,
    check_text,
    due_at,
    ticket_number,
)
from services.membership.domain.errors import RuleViolation

FILED = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 1 December 2026, 00:30 WIB


@pytest.mark.parametrize(
    ("category", "days"),
    [("service", 3), ("membership", 3), ("billing", 3), ("referral", 2), ("app", 1), ("other", 5)],
)
def test_due_at_per_category(category: str, days: int) -> None:
    assert CATEGORIES[category] == timedelta(days=days)
    assert due_at(category, FILED) == FILED + timedelta(days=days)


def test_every_category_has_labels_in_both_languages() -> None:
    assert set(CATEGORY_LABELS) == set(CATEGORIES)
    assert all(en and id_ for en, id_ in CATEGORY_LABELS.values())


def test_due_at_keeps_the_timezone() -> None:
    filed = datetime(2026, 12, 31, 23, 0, tzinfo=WIB)
    assert due_at("app", filed) == datetime(2027, 1, 1, 23, 0, tzinfo=WIB)
    assert due_at("app", filed).tzinfo is WIB


@pytest.mark.parametrize("category", ["", "Service", "pelayanan", "billing ", "unknown"])
def test_unknown_category(category: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        due_at(category, FILED)
    v = caught.value
    assert (v.field, v.rule) == ("category", "complaint_category")
    for en, id_ in CATEGORY_LABELS.values():
        assert en in v.reason_en
        assert id_ in v.reason_id


def test_due_at_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        due_at("service", datetime(2026, 11, 30, 10, 0))


@pytest.mark.parametrize(
    ("filed", "seq", "expected"),
    [
        (FILED, 123, "PGD-20261201-000123"),  # already 1 December in WIB
        (datetime(2026, 11, 30, 16, 59, tzinfo=UTC), 1, "PGD-20261130-000001"),
        (datetime(2026, 12, 31, 17, 0, tzinfo=UTC), 42, "PGD-20270101-000042"),
        (datetime(2024, 2, 29, 9, 0, tzinfo=WIB), 999_999, "PGD-20240229-999999"),
        (datetime(2026, 5, 5, 8, 0, tzinfo=WIB), 100_000, "PGD-20260505-100000"),
    ],
)
def test_ticket_number(filed: datetime, seq: int, expected: str) -> None:
    assert ticket_number(filed, seq) == expected


@pytest.mark.parametrize("seq", [0, -1, 1_000_000])
def test_ticket_sequence_out_of_range(seq: int) -> None:
    with pytest.raises(ValueError):
        ticket_number(FILED, seq)


def test_ticket_number_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        ticket_number(datetime(2026, 11, 30, 17, 30), 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Antrean lama", "Antrean lama"),
        ("  Obat tidak tersedia di apotek.  \n", "Obat tidak tersedia di apotek."),
        ("x" * 10, "x" * 10),
        ("x" * 4000, "x" * 4000),
        ("  " + "y" * 4000 + "  ", "y" * 4000),  # the limit applies after stripping
        ("Baris satu\nbaris dua", "Baris satu\nbaris dua"),
    ],
)
def test_check_text_accepts_and_strips(text: str, expected: str) -> None:
    assert check_text(text) == expected


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("", "complaint_text_too_short"),
        ("   \n\t ", "complaint_text_too_short"),
        ("x" * 9, "complaint_text_too_short"),
        ("    " + "x" * 9 + "    ", "complaint_text_too_short"),
        ("x" * 4001, "complaint_text_too_long"),
    ],
)
def test_check_text_rejects(text: str, rule: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        check_text(text)
    v = caught.value
    assert (v.field, v.rule) == ("text", rule)
    assert v.reason_en and v.reason_id


def test_complaint_statuses() -> None:
    assert [s.value for s in ComplaintStatus] == ["open", "answered", "closed"]
    assert ComplaintStatus("answered") is ComplaintStatus.ANSWERED
