"""The control letter (surat kontrol): a hospital's own document for a repeat visit (§3).

Decisions (domain.md §0 says only "a control letter is a separate document"):
- The hospital the referral sent the member to issues it, at or after a visit it recorded under
  that referral, naming a poli it has (the same poli, or another for an internal consult).
- Its planned date lies after the issue day and within the referral's validity: a control
  continues the referred episode; after day 90 the FKTP must refer again.
- It serves one visit, on the planned date or up to CONTROL_LETTER_GRACE_DAYS later, never
  after the referral's last valid day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from services.referral.domain.polis import check_poli_at
from services.referral.domain.referrals import Referral
from services.referral.domain.refusals import refused
from services.referral.domain.rules import CONTROL_LETTER_GRACE_DAYS


@dataclass(frozen=True, slots=True)
class VisitRef:
    """The visit a control letter follows: where and when it was recorded, under which referral."""

    number: str
    facility_code: str
    referral_number: str | None
    visited_on: date


@dataclass(frozen=True, slots=True)
class ControlLetter:
    """An issued control letter, linked to its referral and the visit it follows."""

    number: str
    referral_number: str
    visit_number: str
    card_number: str
    facility_code: str
    poli_code: str
    issued_on: date
    planned_on: date
    doctor_id: str | None = None
    used: bool = False

    @property
    def usable_through(self) -> date:
        return self.planned_on + timedelta(days=CONTROL_LETTER_GRACE_DAYS)


def last_usable_day(planned_on: date, referral_valid_through: date) -> date:
    """The last day a letter serves: the grace after its planned date, within the referral."""
    return min(planned_on + timedelta(days=CONTROL_LETTER_GRACE_DAYS), referral_valid_through)


@dataclass(frozen=True, slots=True)
class ControlLetterDraft:
    """A checked control letter, before it gets its number."""

    referral_number: str
    visit_number: str
    poli_code: str
    planned_on: date


def check_issue(
    referral: Referral,
    visit: VisitRef,
    *,
    hospital_code: str,
    hospital_polis: frozenset[str],
    poli_code: str,
    planned_on: date,
    today: date,
) -> ControlLetterDraft:
    """A control letter the hospital may issue today; the first refusal names its field."""
    if hospital_code != referral.destination_code:
        raise refused(
            "referral_number",
            "referral_other_facility",
            "The referral was made to another hospital.",
            "Rujukan ini ditujukan ke rumah sakit lain.",
        )
    if visit.referral_number != referral.number or visit.facility_code != hospital_code:
        raise refused(
            "visit_number",
            "visit_not_under_referral",
            "The visit was not recorded here under this referral.",
            "Kunjungan ini tidak tercatat di sini dengan rujukan tersebut.",
        )
    if visit.visited_on > today:
        raise refused(
            "visit_number",
            "visit_in_future",
            "A control letter follows a visit that has taken place.",
            "Surat kontrol dibuat setelah kunjungan berlangsung.",
        )
    poli = check_poli_at(poli_code, hospital_polis)
    if planned_on <= today:
        raise refused(
            "planned_date",
            "planned_date_not_after_today",
            "The control date must be after today.",
            "Tanggal kontrol harus setelah hari ini.",
        )
    if planned_on > referral.valid_through:
        raise refused(
            "planned_date",
            "planned_date_after_referral",
            f"The control date is after the referral's last day "
            f"({referral.valid_through.isoformat()}); the FKTP must refer again.",
            f"Tanggal kontrol melewati masa berlaku rujukan "
            f"({referral.valid_through.isoformat()}); perlu rujukan baru dari FKTP.",
        )
    return ControlLetterDraft(referral.number, visit.number, poli.code, planned_on)


def check_use(
    letter: ControlLetter,
    referral: Referral,
    *,
    facility_code: str,
    poli_code: str,
    on: date,
) -> None:
    """Refuse a booking or visit the letter does not cover, naming the field that differs."""
    if facility_code != letter.facility_code:
        raise refused(
            "facility_code",
            "control_other_facility",
            "The control letter is for another hospital.",
            "Surat kontrol ini untuk rumah sakit lain.",
        )
    if poli_code.strip().upper() != letter.poli_code:
        raise refused(
            "poli_code",
            "control_other_poli",
            "The control letter is for another poli.",
            "Surat kontrol ini untuk poli lain.",
        )
    if letter.used:
        raise refused(
            "referral_number",
            "control_used",
            "The control letter has already been used.",
            "Surat kontrol ini sudah digunakan.",
        )
    if on < letter.planned_on:
        raise refused(
            "date",
            "before_control_date",
            f"The control letter is for {letter.planned_on.isoformat()} or later.",
            f"Surat kontrol berlaku mulai {letter.planned_on.isoformat()}.",
        )
    if on > min(letter.usable_through, referral.valid_through):
        raise refused(
            "referral_number",
            "control_expired",
            "The control letter is no longer valid.",
            "Surat kontrol sudah tidak berlaku.",
        )
