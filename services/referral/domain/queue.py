"""The online queue (antrean): where a member may book, quotas, numbers, waits and states.

Decisions where domain.md §3 leaves it to us:
- Bookings open from today (same day allowed unless the facility turns it off) through
  BOOKING_DAYS_AHEAD days ahead; a same-day booking closes when the session ends.
- One line per session: JKN and non-JKN patients share the numbering 1, 2, 3... while their
  quotas are counted apart (R21). A cancelled booking frees its quota slot, never its number.
- The people ahead of a member are the lower numbers still in the session: booked, checked in
  or called. Someone called is in the doctor's room and still ahead until the poli is done
  (task 5: "the remaining count drops at 5", §4).
- The estimate at booking is session start + service minutes x people ahead (R23's SPM).
- The booking code is a 19-character document number of kind A (numbers.py), sequenced per
  facility and month of booking, so it is unique and tells the desk whose queue it is.
- A member cancels until called; check-in opens CHECKIN_OPENS_BEFORE the session start and
  closes at its end; the facility may call a booking that is booked or checked in.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from common.errors import Conflict
from services.referral.domain import control_letters, referrals
from services.referral.domain.control_letters import ControlLetter
from services.referral.domain.eligibility import Eligibility, Reason
from services.referral.domain.numbers import Kind, document_number
from services.referral.domain.referrals import Referral, Site
from services.referral.domain.refusals import invalid, refused
from services.referral.domain.rules import BOOKING_DAYS_AHEAD, CHECKIN_OPENS_BEFORE
from services.referral.domain.schedules import Session, local_date


class PatientKind(StrEnum):
    """R21: JKN and non-JKN bookings have separate quotas."""

    JKN = "jkn"
    NON_JKN = "non_jkn"


class VisitKind(StrEnum):
    """`jeniskunjungan` (§3): how a hospital visit was reached."""

    FKTP_REFERRAL = "1"
    INTERNAL_REFERRAL = "2"
    CONTROL = "3"
    INTER_HOSPITAL = "4"


class Status(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CALLED = "called"
    SERVED = "served"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


WAITING: frozenset[Status] = frozenset({Status.BOOKED, Status.CHECKED_IN, Status.CALLED})

# What may happen to a booking in each state; anything else is a Conflict.
_MOVES: dict[str, dict[Status, Status]] = {
    "check_in": {Status.BOOKED: Status.CHECKED_IN},
    "call": {Status.BOOKED: Status.CALLED, Status.CHECKED_IN: Status.CALLED},
    "cancel": {Status.BOOKED: Status.CANCELLED, Status.CHECKED_IN: Status.CANCELLED},
    "serve": {Status.CALLED: Status.SERVED},
    "no_show": {Status.BOOKED: Status.NO_SHOW, Status.CHECKED_IN: Status.NO_SHOW},
}
_DONE = {
    "check_in": "checked in",
    "call": "called",
    "cancel": "cancelled",
    "serve": "served",
    "no_show": "marked as a no-show",
}


def move(status: Status, action: str) -> Status:
    """The state after an action; Conflict naming `booking_code` if the state does not allow it."""
    new = _MOVES[action].get(status)
    if new is None:
        raise Conflict(
            f"cannot_{action}",
            f"The booking is {status.value.replace('_', ' ')}; it cannot be {_DONE[action]} now.",
            f"Status antrean saat ini tidak memungkinkan tindakan ini ({action}).",
            field="booking_code",
        )
    return new


def check_booking_date(on: date, now: datetime, *, same_day: bool = True) -> None:
    """Refuse a visit date in the past, today where not allowed, or beyond the window."""
    today = local_date(now)
    if on < today:
        raise invalid("date", "date_in_past", "The date is in the past.", "Tanggal sudah lewat.")
    if on == today and not same_day:
        raise refused(
            "date",
            "no_same_day_booking",
            "This facility does not take bookings for today.",
            "Faskes ini tidak menerima pendaftaran untuk hari ini.",
        )
    if on > today + timedelta(days=BOOKING_DAYS_AHEAD):
        raise refused(
            "date",
            "date_beyond_window",
            f"Bookings open at most {BOOKING_DAYS_AHEAD} days ahead.",
            f"Pendaftaran dibuka paling lama {BOOKING_DAYS_AHEAD} hari ke depan.",
        )


def check_session_open(session: Session, on: date, now: datetime) -> None:
    """Refuse a booking for a session that has already ended."""
    if now >= session.ends_at(on):
        raise refused(
            "date",
            "session_ended",
            "This session has already ended.",
            "Sesi praktik ini sudah berakhir.",
        )


def check_route(
    facility: Site,
    member: Eligibility,
    *,
    card_number: str,
    poli_code: str,
    on: date,
    referral: Referral | None = None,
    control: ControlLetter | None = None,
) -> VisitKind | None:
    """Refuse a booking the member may not make here; a hospital visit's kind if allowed.

    An FKTP takes its own members; a hospital poli takes a valid referral to it, or a control
    letter (with the referral it continues) for it. `member` is the eligibility for this
    facility on this date.
    """
    if not member.eligible:
        if member.reason is Reason.NOT_REGISTERED_HERE:
            raise refused(
                "facility_code",
                "not_your_fktp",
                "You can book only at your own FKTP.",
                "Anda hanya dapat mendaftar di FKTP tempat Anda terdaftar.",
            )
        raise refused(
            "card_number",
            "coverage_not_active",
            "Your coverage is not active.",
            "Kepesertaan Anda tidak aktif.",
        )
    if facility.facility_type == "fktp":
        return None
    if control is not None:
        if referral is None or control.referral_number != referral.number:
            raise ValueError("a control letter is checked with the referral it continues")
        _check_holder(control.card_number, card_number)
        control_letters.check_use(
            control, referral, facility_code=facility.code, poli_code=poli_code, on=on
        )
        return VisitKind.CONTROL
    if referral is None:
        raise refused(
            "referral_number",
            "referral_required",
            "A hospital booking needs a referral or control letter number.",
            "Pendaftaran ke rumah sakit memerlukan nomor rujukan atau surat kontrol.",
        )
    _check_holder(referral.card_number, card_number)
    referrals.check_use(referral, facility_code=facility.code, poli_code=poli_code, on=on)
    return VisitKind.FKTP_REFERRAL


def _check_holder(holder: str, card_number: str) -> None:
    # Someone else's number answers like an unknown one would: never confirm it exists.
    if holder != card_number:
        raise invalid(
            "referral_number",
            "document_not_found",
            "No referral or control letter with this number is yours.",
            "Tidak ada rujukan atau surat kontrol Anda dengan nomor ini.",
        )


@dataclass(frozen=True, slots=True)
class SessionLoad:
    """A session on one date: its quotas and the active (not cancelled) bookings of each kind."""

    quota_jkn: int
    quota_non_jkn: int
    booked_jkn: int = 0
    booked_non_jkn: int = 0

    def remaining(self, kind: PatientKind) -> int:
        if kind is PatientKind.JKN:
            return max(0, self.quota_jkn - self.booked_jkn)
        return max(0, self.quota_non_jkn - self.booked_non_jkn)


def check_quota(load: SessionLoad, kind: PatientKind, field: str = "date") -> None:
    """Refuse a booking when the session has no slot left for its kind of patient."""
    if load.remaining(kind) == 0:
        raise refused(
            field,
            "quota_full",
            "The session is full; choose another date or doctor.",
            "Kuota sesi ini sudah penuh; pilih tanggal atau dokter lain.",
        )


def next_queue_number(last_issued: int | None) -> int:
    """The next number in a session: one more than the last ever issued (1 for the first)."""
    return 1 if last_issued is None else last_issued + 1


def booking_code(facility_code: str, booked_on: date, sequence: int) -> str:
    """The booking's code (`kodebooking`, unique, R21): a document number of kind A."""
    return document_number(facility_code, booked_on, Kind.BOOKING, sequence)


def queue_label(poli_code: str, number: int) -> str:
    """The number as a screen calls it (`nomorantrean`): INT-007."""
    return f"{poli_code}-{number:03d}"


def estimated_service_at(session_start: datetime, service_minutes: int, ahead: int) -> datetime:
    """When the member should be seen: session start + service minutes x people ahead."""
    return session_start + timedelta(minutes=service_minutes * ahead)


def wait_seconds(service_minutes: int, ahead: int) -> int:
    """R23's remaining wait (`waktutunggu`): SPM x (remaining - 1), remaining counting oneself."""
    return service_minutes * 60 * ahead


def people_ahead(number: int, queue: Iterable[tuple[int, Status]]) -> int:
    """How many of the session's lower numbers are still waiting or with the doctor."""
    return sum(1 for n, status in queue if n < number and status in WAITING)


def check_check_in_time(session: Session, on: date, now: datetime) -> None:
    """Refuse a check-in outside [session start - CHECKIN_OPENS_BEFORE, session end)."""
    opens = session.starts_at(on) - CHECKIN_OPENS_BEFORE
    if now < opens:
        raise refused(
            "time",
            "check_in_not_open",
            f"Check-in opens at {opens:%H:%M} WIB on {on.isoformat()}.",
            f"Check-in dibuka pukul {opens:%H:%M} WIB tanggal {on.isoformat()}.",
        )
    if now >= session.ends_at(on):
        raise refused(
            "time",
            "check_in_closed",
            "The session has ended; check-in is closed.",
            "Sesi sudah berakhir; check-in ditutup.",
        )
