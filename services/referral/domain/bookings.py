"""Booking a slot in the online queue: where a member may book, for when, and the quotas.

Decisions where domain.md §3 leaves it to us:
- Bookings open from today (same day allowed unless the facility turns it off) through
  BOOKING_DAYS_AHEAD days ahead; a same-day booking closes when the session ends.
- An FKTP takes its own members; a hospital poli takes a valid referral to it, or a control
  letter for it (with the referral it continues); someone else's document is "not found".
- JKN and non-JKN quotas are counted apart (R21); a cancelled booking frees its slot.
- The booking code is a 19-character document number of kind A (numbers.py), sequenced per
  facility and month of booking, so it is unique and tells the desk whose queue it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from common.errors import NotFound, RuleViolated
from services.referral.domain import control_letters, referrals
from services.referral.domain.control_letters import ControlLetter
from services.referral.domain.eligibility import Eligibility, Reason
from services.referral.domain.numbers import Kind, document_number
from services.referral.domain.polis import check_poli_at
from services.referral.domain.referrals import Referral, Site
from services.referral.domain.refusals import invalid, refused
from services.referral.domain.rules import BOOKING_DAYS_AHEAD
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
    if not facility.active:
        raise refused(
            "facility_code",
            "facility_not_contracted",
            "This facility no longer serves JKN members.",
            "Faskes ini tidak lagi melayani peserta JKN.",
        )
    check_poli_at(poli_code, facility.polis)
    if not member.eligible:
        if member.reason is Reason.NOT_REGISTERED_HERE:
            raise refused(
                "facility_code",
                "not_your_fktp",
                "You can book only at your own FKTP.",
                "Anda hanya dapat mendaftar di FKTP tempat Anda terdaftar.",
            )
        # The reason (arrears or non-active) tells the member what to do next.
        raise refused(
            "card_number",
            "coverage_not_active",
            "Your coverage is not active.",
            "Kepesertaan Anda tidak aktif.",
            reason=(member.reason or Reason.NON_ACTIVE).value,
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
        raise NotFound(
            "document_not_found",
            "No referral or control letter with this number is yours.",
            "Tidak ada rujukan atau surat kontrol Anda dengan nomor ini.",
            field="referral_number",
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
        raise quota_full(field)


def quota_full(field: str = "date") -> RuleViolated:
    """The refusal when no session has a slot left (the store's counter said so)."""
    return refused(
        field,
        "quota_full",
        "The session is full; choose another date or doctor.",
        "Kuota sesi ini sudah penuh; pilih tanggal atau dokter lain.",
    )


def booking_code(facility_code: str, booked_on: date, sequence: int) -> str:
    """The booking's code (`kodebooking`, unique, R21): a document number of kind A."""
    return document_number(facility_code, booked_on, Kind.BOOKING, sequence)


def sessions_for(
    sessions: Iterable[Session], poli_code: str, doctor_id: str | None
) -> list[Session]:
    """The day's sessions a booking may take, in order; refused naming the field if none.

    Without a doctor, any session of the poli will do (the first with room is taken).
    """
    poli = poli_code.strip().upper()
    of_poli = [s for s in sessions if s.poli_code == poli]
    if not of_poli:
        raise refused(
            "date",
            "no_session",
            "The poli has no practice session on that date.",
            "Poli ini tidak memiliki jadwal praktik pada tanggal tersebut.",
        )
    if doctor_id is None:
        return of_poli
    of_doctor = [s for s in of_poli if s.doctor_id == doctor_id]
    if not of_doctor:
        raise refused(
            "doctor_id",
            "doctor_not_practising",
            "The doctor has no session at this poli on that date.",
            "Dokter tidak berpraktik di poli ini pada tanggal tersebut.",
        )
    return of_doctor
