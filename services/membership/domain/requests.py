"""The lifecycle a member can follow for every change request, from received to applied."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum

from services.membership.domain.decisions import Decision
from services.membership.domain.faskes import effective_date_on_approval


class Status(StrEnum):
    """Where a request stands, as the member sees it."""

    RECEIVED = "received"
    CHECKING = "checking"  # with a branch officer
    APPROVED = "approved"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"  # approved, takes effect on a later date (R5, R10)
    APPLIED = "applied"


class Kind(StrEnum):
    """What a request asks to change."""

    FASKES_CHANGE = "faskes_change"
    CLASS_CHANGE = "class_change"
    CONTACT_CHANGE = "contact_change"
    ADDRESS_CHANGE = "address_change"
    IDENTITY_CORRECTION = "identity_correction"
    FAMILY_MEMBER = "family_member"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.CHECKING, Status.APPROVED, Status.REJECTED}),
    Status.CHECKING: frozenset({Status.APPROVED, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.SCHEDULED, Status.APPLIED}),
    Status.SCHEDULED: frozenset({Status.APPLIED}),
    # Final: a rejected member files a new request, so each request keeps one clear answer.
    Status.REJECTED: frozenset(),
    Status.APPLIED: frozenset(),
}
OPEN: frozenset[Status] = frozenset(
    {Status.RECEIVED, Status.CHECKING, Status.APPROVED, Status.SCHEDULED}
)
FINAL: frozenset[Status] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)

# Name, birth date and NIK identify the member (R2), so changing them always needs an
# officer comparing documents; no rule approves them automatically.
IDENTITY_FIELDS: tuple[str, ...] = ("full_name", "birth_date", "nik")


def touches_identity(fields: Iterable[str]) -> bool:
    """True when any changed field is an identity field, which only an officer may approve."""
    return any(f in IDENTITY_FIELDS for f in fields)


def next_statuses(decision: Decision, today: date) -> list[Status]:
    """The statuses a fresh (received) request passes through for this decision on today."""
    if decision.outcome == "rejected":
        return [Status.REJECTED]
    if decision.outcome == "review":
        return [Status.CHECKING]
    assert decision.effective_date is not None  # Decision guarantees it for approvals
    if decision.effective_date > today:
        return [Status.APPROVED, Status.SCHEDULED]
    return [Status.APPROVED, Status.APPLIED]


def check_transition(old: Status, new: Status) -> None:
    """Raise ValueError unless a request may move from old to new."""
    if new not in TRANSITIONS[old]:
        allowed = ", ".join(sorted(TRANSITIONS[old])) or "nothing (final)"
        raise ValueError(f"a request cannot move from {old} to {new}; allowed: {allowed}")


def officer_effective_date(kind: Kind, today: date) -> date:
    """When an officer's approval takes effect: an FKTP change on the 1st of next month (R5),
    everything else at once."""
    return effective_date_on_approval(today) if kind is Kind.FASKES_CHANGE else today
