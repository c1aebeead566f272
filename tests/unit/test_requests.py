"""The request lifecycle: every legal and illegal move, and where a decision leads."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest

from services.membership.domain.decisions import Decision
from services.membership.domain.requests import (
    FINAL,
    IDENTITY_FIELDS,
    OPEN,
    TRANSITIONS,
    Kind,
    Status,
    check_transition,
    next_statuses,
    touches_identity,
)

S = Status
TODAY = date(2026, 11, 30)
LEGAL = {
    (S.RECEIVED, S.CHECKING),
    (S.RECEIVED, S.APPROVED),
    (S.RECEIVED, S.REJECTED),
    (S.CHECKING, S.APPROVED),
    (S.CHECKING, S.REJECTED),
    (S.APPROVED, S.SCHEDULED),
    (S.APPROVED, S.APPLIED),
    (S.SCHEDULED, S.APPLIED),
}
ILLEGAL = sorted(set(product(Status, Status)) - LEGAL)


def test_transition_table_is_exactly_the_legal_moves() -> None:
    assert set(TRANSITIONS) == set(Status)
    assert {(old, new) for old, nexts in TRANSITIONS.items() for new in nexts} == LEGAL


@pytest.mark.parametrize(("old", "new"), sorted(LEGAL))
def test_legal_transitions(old: Status, new: Status) -> None:
    check_transition(old, new)


@pytest.mark.parametrize(("old", "new"), ILLEGAL)
def test_illegal_transitions(old: Status, new: Status) -> None:
    with pytest.raises(ValueError, match=f"from {old} to {new}"):
        check_transition(old, new)


def test_every_status_pair_is_covered() -> None:
    assert len(LEGAL) + len(ILLEGAL) == len(Status) ** 2


def test_open_and_final() -> None:
    assert OPEN == {S.RECEIVED, S.CHECKING, S.APPROVED, S.SCHEDULED}
    assert FINAL == {S.REJECTED, S.APPLIED}
    assert OPEN | FINAL == set(Status) and not OPEN & FINAL


def test_status_and_kind_values_are_stable() -> None:
    assert [s.value for s in Status] == [
        "received",
        "checking",
        "approved",
        "rejected",
        "scheduled",
        "applied",
    ]
    assert [k.value for k in Kind] == [
        "faskes_change",
        "class_change",
        "contact_change",
        "address_change",
        "identity_correction",
        "family_member",
    ]


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (Decision.approve(date(2026, 12, 1)), [S.APPROVED, S.SCHEDULED]),
        (Decision.approve(TODAY + timedelta(days=1)), [S.APPROVED, S.SCHEDULED]),
        (Decision.approve(date(2027, 6, 1)), [S.APPROVED, S.SCHEDULED]),
        (Decision.approve(TODAY), [S.APPROVED, S.APPLIED]),
        (Decision.approve(TODAY - timedelta(days=1)), [S.APPROVED, S.APPLIED]),
        (Decision.reject("faskes_same", "en", "id"), [S.REJECTED]),
        (Decision.review("faskes_exception_review", "en", "id"), [S.CHECKING]),
    ],
)
def test_next_statuses(decision: Decision, expected: list[Status]) -> None:
    path = next_statuses(decision, TODAY)
    assert path == expected
    # The path is walkable from a fresh request.
    for old, new in zip([S.RECEIVED, *path], path, strict=False):
        check_transition(old, new)


def test_identity_fields() -> None:
    assert IDENTITY_FIELDS == ("full_name", "birth_date", "nik")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["full_name"], True),
        (["birth_date"], True),
        (["nik"], True),
        (["phone", "nik"], True),
        (["phone", "email"], False),
        (["address"], False),
        ([], False),
    ],
)
def test_touches_identity(fields: list[str], expected: bool) -> None:
    assert touches_identity(fields) is expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"outcome": "approved"},
        {"outcome": "rejected", "rule": "x", "reason_en": "en"},
        {"outcome": "review", "reason_en": "en", "reason_id": "id"},
        {"outcome": "maybe", "effective_date": TODAY},
    ],
)
def test_half_filled_decisions_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Decision(**kwargs)  # type: ignore[arg-type]


def test_decision_constructors() -> None:
    assert Decision.approve(TODAY) == Decision("approved", effective_date=TODAY)
    assert Decision.reject("r", "en", "id") == Decision("rejected", "r", "en", "id")
    assert Decision.review("r", "en", "id") == Decision("review", "r", "en", "id")
    with pytest.raises(AttributeError):
        Decision.approve(TODAY).outcome = "rejected"  # type: ignore[misc]
