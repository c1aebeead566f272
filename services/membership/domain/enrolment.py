"""A family's enrolment as billing hears of it: one FamilyEnrolled per KK, ever, and the
coverage words membership stores against the ones billing's contract uses."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

StoredCoverage = Literal["active", "inactive"]
EventCoverage = Literal["active", "non_active"]

# Fixed forever: a KK's FamilyEnrolled has the event id uuid5(ENROLMENT_NAMESPACE, family_id),
# so the outbox's unique event id refuses a second enrolment of the same family, whoever
# stages it (the seed, a bulk import, a registration).
ENROLMENT_NAMESPACE = uuid.UUID("0f6d2a61-3c1e-5b0a-9e57-187100160001")


def enrolment_event_id(family_id: str) -> uuid.UUID:
    """The FamilyEnrolled event id of a KK."""
    return uuid.uuid5(ENROLMENT_NAMESPACE, family_id)


def event_coverage(stored: str) -> EventCoverage:
    """Membership's 'inactive' is billing's 'non_active'."""
    return "active" if stored == "active" else "non_active"


def stored_coverage(status: str) -> StoredCoverage:
    """Billing's 'non_active' is stored as membership always has: 'inactive'."""
    return "active" if status == "active" else "inactive"


def period_start(day: date) -> date:
    """The 1st of the day's month: where an enrolment's opening balance is counted from."""
    return day.replace(day=1)
