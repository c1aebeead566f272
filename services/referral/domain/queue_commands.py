"""The online queue's commands and queries, and how a booking's document number is read.

Commands are what a member or a facility asks for, already parsed; the handlers decide them
with the rules in bookings.py, queue.py and tasks.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from services.referral.domain.numbers import Kind, parse_document_number
from services.referral.domain.refusals import invalid

# A member cancels with a reason from this list (the facility's task 99 is "no_show").
CANCEL_REASONS = frozenset({"member_cancelled", "cannot_attend", "recovered", "other"})


@dataclass(frozen=True, slots=True)
class BookQueue:
    """A member books a slot: at a facility's poli, with a doctor or any, on a date."""

    member_id: uuid.UUID
    facility_code: str
    poli_code: str
    on: date
    doctor_id: str | None = None
    referral_number: str | None = None


@dataclass(frozen=True, slots=True)
class CancelBooking:
    member_id: uuid.UUID
    booking_code: str
    reason: str = "member_cancelled"


@dataclass(frozen=True, slots=True)
class CheckIn:
    member_id: uuid.UUID
    booking_code: str


@dataclass(frozen=True, slots=True)
class CallBooking:
    """The facility calls a booking's number (the member is pushed at once)."""

    facility_code: str
    booking_code: str


@dataclass(frozen=True, slots=True)
class RecordTaskTime:
    """The facility records one task time (Antrean `updatewaktu`), in epoch milliseconds."""

    facility_code: str
    booking_code: str
    task_id: int
    at_ms: int


@dataclass(frozen=True, slots=True)
class GetMyBookings:
    member_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class GetMyBooking:
    member_id: uuid.UUID
    booking_code: str


@dataclass(frozen=True, slots=True)
class GetMyVisits:
    member_id: uuid.UUID


def check_cancel_reason(reason: str) -> str:
    """The reason as stored; InvalidInput naming `reason` when it is not one of the list."""
    if reason not in CANCEL_REASONS:
        raise invalid(
            "reason",
            "invalid_cancel_reason",
            f"reason is one of: {', '.join(sorted(CANCEL_REASONS))}.",
            f"reason salah satu dari: {', '.join(sorted(CANCEL_REASONS))}.",
        )
    return reason


def check_booking_code(raw: str) -> str:
    """A booking code as stored (kind A); InvalidInput naming `booking_code` otherwise."""
    return str(parse_document_number(raw, Kind.BOOKING, field="booking_code"))


def referral_document(raw: str) -> tuple[Kind, str]:
    """What a booking's `referral_number` names: a referral (P) or a control letter (K)."""
    number = parse_document_number(raw, field="referral_number")
    if number.kind not in (Kind.REFERRAL, Kind.CONTROL_LETTER):
        raise invalid(
            "referral_number",
            "wrong_document_kind",
            "Give a referral or a control letter number.",
            "Masukkan nomor rujukan atau nomor surat kontrol.",
        )
    return number.kind, str(number)
