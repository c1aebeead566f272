"""Online referrals (rujukan) from an FKTP to a hospital: issuing one, and using it (R19, R20).

Validity (R19): a referral issued on day 0 is good through day 90 and expired from day 91,
for as many visits to its poli at its hospital as the member needs in that time (domain.md §0;
whether a referral is single-use is open in §7, and we take the multi-visit reading).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

from services.referral.domain.eligibility import Eligibility, Reason
from services.referral.domain.icd10 import check_icd10
from services.referral.domain.polis import check_poli_at
from services.referral.domain.refusals import invalid, refused
from services.referral.domain.rules import NOTES_MAX, REFERRAL_VALID_DAYS


class ServiceType(StrEnum):
    """VClaim `jnsPelayanan`: 1 inpatient, 2 outpatient."""

    INPATIENT = "1"
    OUTPATIENT = "2"


@dataclass(frozen=True, slots=True)
class Site:
    """What the referral rules need to know of a facility: type, contract and polis."""

    code: str
    facility_type: Literal["fktp", "fkrtl"]
    active: bool
    polis: frozenset[str]


@dataclass(frozen=True, slots=True)
class Referral:
    """An issued referral: the member, from where to where, why, and when."""

    number: str
    card_number: str
    issuer_code: str
    destination_code: str
    poli_code: str
    diagnosis: str
    service_type: ServiceType
    issued_on: date
    notes: str = ""

    @property
    def valid_through(self) -> date:
        return valid_through(self.issued_on)

    @property
    def expires_on(self) -> date:
        return expires_on(self.issued_on)


def valid_through(issued_on: date) -> date:
    """The last day a referral may be used: day 90 when the issue day is day 0."""
    return issued_on + timedelta(days=REFERRAL_VALID_DAYS)


def expires_on(issued_on: date) -> date:
    """The first day it is expired: the day ReferralExpired is published."""
    return valid_through(issued_on) + timedelta(days=1)


def is_valid_on(issued_on: date, on: date) -> bool:
    """True from the issue day through day 90."""
    return issued_on <= on <= valid_through(issued_on)


@dataclass(frozen=True, slots=True)
class ReferralDraft:
    """What an FKTP sends to issue a referral, normalised once checked."""

    card_number: str
    destination_code: str
    poli_code: str
    diagnosis: str
    service_type: ServiceType
    notes: str


# A refusal's code and texts for a member who may not be served, by the first reason.
NOT_ELIGIBLE: dict[Reason, tuple[str, str, str]] = {
    Reason.ARREARS: (
        "member_in_arrears",
        "The member's coverage is suspended for unpaid premiums.",
        "Kepesertaan peserta nonaktif karena tunggakan iuran.",
    ),
    Reason.NON_ACTIVE: (
        "member_not_active",
        "The member's coverage is not active.",
        "Kepesertaan peserta tidak aktif.",
    ),
    Reason.NOT_REGISTERED_HERE: (
        "member_not_registered_here",
        "The member is not registered at this FKTP.",
        "Peserta tidak terdaftar di FKTP ini.",
    ),
}


def check_issue(
    issuer: Site,
    destination: Site | None,
    member: Eligibility,
    *,
    card_number: str,
    poli_code: str,
    diagnosis: str,
    service_type: str,
    notes: str = "",
) -> ReferralDraft:
    """A checked referral an FKTP may issue now; the first refusal names its field."""
    if issuer.facility_type != "fktp":
        raise refused(
            "issuer_code",
            "issuer_not_fktp",
            "Only a primary care facility (FKTP) issues these referrals.",
            "Hanya FKTP yang dapat menerbitkan rujukan ini.",
        )
    if not member.eligible:
        code, en, id_ = NOT_ELIGIBLE[member.reason or Reason.NON_ACTIVE]
        raise refused("card_number", code, en, id_)
    # An eligible answer was computed for some facility; it must be this one.
    if member.fktp_code != issuer.code:
        code, en, id_ = NOT_ELIGIBLE[Reason.NOT_REGISTERED_HERE]
        raise refused("card_number", code, en, id_)
    checked_destination = _check_destination(issuer, destination)
    poli = check_poli_at(poli_code, checked_destination.polis)
    icd = check_icd10(diagnosis)
    try:
        kind = ServiceType(str(service_type).strip())
    except ValueError:
        raise invalid(
            "service_type",
            "invalid_service_type",
            "service_type is 1 (inpatient) or 2 (outpatient).",
            "service_type bernilai 1 (rawat inap) atau 2 (rawat jalan).",
        ) from None
    text = notes.strip()
    if len(text) > NOTES_MAX:
        raise invalid(
            "notes",
            "notes_too_long",
            f"notes may be at most {NOTES_MAX} characters.",
            f"Catatan paling banyak {NOTES_MAX} karakter.",
        )
    return ReferralDraft(card_number, checked_destination.code, poli.code, icd, kind, text)


def _check_destination(issuer: Site, destination: Site | None) -> Site:
    if destination is not None and destination.code == issuer.code:
        raise refused(
            "destination_code",
            "referral_to_self",
            "A facility cannot refer a member to itself.",
            "Faskes tidak dapat merujuk peserta ke dirinya sendiri.",
        )
    if destination is None or not destination.active:
        raise refused(
            "destination_code",
            "unknown_destination",
            "The destination is not a contracted facility.",
            "Faskes tujuan bukan faskes yang bekerja sama.",
        )
    if destination.facility_type != "fkrtl":
        raise refused(
            "destination_code",
            "destination_not_hospital",
            "A referral goes to a hospital (FKRTL).",
            "Rujukan ditujukan ke rumah sakit (FKRTL).",
        )
    return destination


def check_use(referral: Referral, *, facility_code: str, poli_code: str, on: date) -> None:
    """Refuse a visit or booking the referral does not cover, naming the field that differs."""
    if facility_code != referral.destination_code:
        raise refused(
            "facility_code",
            "referral_other_facility",
            "The referral is for another hospital.",
            "Rujukan ini untuk rumah sakit lain.",
        )
    if poli_code.strip().upper() != referral.poli_code:
        raise refused(
            "poli_code",
            "referral_other_poli",
            "The referral is for another poli.",
            "Rujukan ini untuk poli lain.",
        )
    if on < referral.issued_on:
        raise refused(
            "date",
            "before_referral",
            "The visit date is before the referral was issued.",
            "Tanggal kunjungan sebelum rujukan diterbitkan.",
        )
    if on > referral.valid_through:
        raise refused(
            "referral_number",
            "referral_expired",
            f"The referral expired; it was valid through {referral.valid_through.isoformat()}.",
            f"Rujukan sudah habis masa berlakunya (berlaku s.d. "
            f"{referral.valid_through.isoformat()}).",
        )
