"""Is a member covered at a facility on a date: from referral's projection of their coverage.

The projection is built from membership's and billing's events only (issue 18); this module
answers from it. Coverage comes first: a member who is not covered cannot be served anywhere,
so arrears or non-active status is the reason even at a facility they are not registered with.
Registration matters at primary care only: any hospital serves a referred member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal


class Reason(StrEnum):
    """Why a member is not eligible, in the order they are checked."""

    ARREARS = "arrears"
    NON_ACTIVE = "non_active"
    NOT_REGISTERED_HERE = "not_registered_here"


# What each reason tells the facility's clerk (English, Indonesian).
REASON_TEXT: dict[Reason, tuple[str, str]] = {
    Reason.ARREARS: (
        "Coverage is suspended for unpaid premiums.",
        "Kepesertaan nonaktif karena tunggakan iuran.",
    ),
    Reason.NON_ACTIVE: ("Coverage is not active.", "Kepesertaan tidak aktif."),
    Reason.NOT_REGISTERED_HERE: (
        "The member is not registered at this primary care facility.",
        "Peserta tidak terdaftar di FKTP ini.",
    ),
}


@dataclass(frozen=True, slots=True)
class Coverage:
    """Referral's projection of one member: status, class, segment, FKTP and a pending move.

    `active` is membership's status (registered, first premium paid, not ended);
    `unpaid_months` is billing's count for the family; an FKTP change waits in
    `next_fktp_code` until `next_fktp_from` (R5: until then the old FKTP serves), a class
    change in `next_care_class` until `next_class_from` (R10).
    """

    card_number: str
    active: bool
    care_class: int
    segment: str
    fktp_code: str
    unpaid_months: int = 0
    covered_from: date | None = None
    next_fktp_code: str | None = None
    next_fktp_from: date | None = None
    next_care_class: int | None = None
    next_class_from: date | None = None

    def __post_init__(self) -> None:
        if self.unpaid_months < 0:
            raise ValueError("unpaid_months cannot be negative")
        if (self.next_fktp_code is None) != (self.next_fktp_from is None):
            raise ValueError("a pending FKTP change needs both its code and its date")
        if (self.next_care_class is None) != (self.next_class_from is None):
            raise ValueError("a pending class change needs both its class and its date")

    def fktp_on(self, on: date) -> str:
        """The FKTP that serves the member on a date (R5)."""
        if self.next_fktp_code is not None and self.next_fktp_from is not None:
            if on >= self.next_fktp_from:
                return self.next_fktp_code
        return self.fktp_code

    def class_on(self, on: date) -> int:
        """The care class the member is entitled to on a date (R10: the new one from its 1st)."""
        if self.next_care_class is not None and self.next_class_from is not None:
            if on >= self.next_class_from:
                return self.next_care_class
        return self.care_class


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The answer: eligible, or why not; with the class and FKTP a facility needs."""

    eligible: bool
    reason: Reason | None
    care_class: int
    segment: str
    fktp_code: str

    @property
    def reason_text(self) -> tuple[str, str] | None:
        return REASON_TEXT[self.reason] if self.reason else None


def eligibility(
    coverage: Coverage, facility_code: str, facility_type: Literal["fktp", "fkrtl"], on: date
) -> Eligibility:
    """Whether the member may be served at the facility on the date, with the first reason."""
    fktp = coverage.fktp_on(on)
    reason: Reason | None = None
    # Billing's arrears suspend coverage (domain.md §0) even before membership hears of it.
    if coverage.unpaid_months > 0:
        reason = Reason.ARREARS
    elif not coverage.active or (coverage.covered_from is not None and on < coverage.covered_from):
        reason = Reason.NON_ACTIVE
    elif facility_type == "fktp" and facility_code != fktp:
        reason = Reason.NOT_REGISTERED_HERE
    return Eligibility(reason is None, reason, coverage.class_on(on), coverage.segment, fktp)
