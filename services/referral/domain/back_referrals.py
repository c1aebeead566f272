"""Back-referral (rujuk balik, PRB): a hospital returns a stable chronic patient to their FKTP.

It needs: the member, the referral it closes, the hospital, the FKTP (the member's own, which
continues the care and the medicines), the diagnosis, one of the PRB programmes, and the
hospital's advice (medicines, next review). VClaim's tipeRujukan 2 (R20) is this document.
Decisions: only the referral's destination hospital issues it, to the member's registered FKTP,
for an eligible member; it has no end date (the FKTP keeps serving until a new referral).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.referral.domain.eligibility import Eligibility
from services.referral.domain.icd10 import check_icd10
from services.referral.domain.referrals import Referral
from services.referral.domain.refusals import invalid, refused
from services.referral.domain.rules import NOTES_MAX

# The chronic conditions of the PRB programme, by VClaim's `diagnosaprb` codes.
PRB_PROGRAMMES: dict[str, tuple[str, str]] = {
    "01": ("Diabetes Mellitus", "Diabetes mellitus"),
    "02": ("Hipertensi", "Hypertension"),
    "03": ("Asma", "Asthma"),
    "04": ("Penyakit Jantung", "Heart disease"),
    "05": ("PPOK", "Chronic obstructive pulmonary disease"),
    "06": ("Skizofrenia", "Schizophrenia"),
    "07": ("Stroke", "Stroke"),
    "08": ("Epilepsi", "Epilepsy"),
    "09": ("SLE", "Systemic lupus erythematosus"),
}


@dataclass(frozen=True, slots=True)
class BackReferral:
    """An issued back-referral."""

    number: str
    card_number: str
    referral_number: str
    hospital_code: str
    fktp_code: str
    diagnosis: str
    programme: str
    advice: str
    issued_on: date


@dataclass(frozen=True, slots=True)
class BackReferralDraft:
    """A checked back-referral, before it gets its number."""

    referral_number: str
    fktp_code: str
    diagnosis: str
    programme: str
    advice: str


def check_issue(
    referral: Referral,
    member: Eligibility,
    *,
    hospital_code: str,
    diagnosis: str,
    programme: str,
    advice: str,
    today: date,
) -> BackReferralDraft:
    """A back-referral the hospital may issue today; the first refusal names its field."""
    if hospital_code != referral.destination_code:
        raise refused(
            "referral_number",
            "referral_other_facility",
            "Only the hospital the member was referred to may refer back.",
            "Hanya rumah sakit tujuan rujukan yang dapat merujuk balik.",
        )
    if today < referral.issued_on:
        raise refused(
            "referral_number",
            "before_referral",
            "The referral has not been issued yet.",
            "Rujukan belum diterbitkan.",
        )
    if not member.eligible:
        raise refused(
            "card_number",
            "member_not_eligible",
            "The member's coverage is not active.",
            "Kepesertaan peserta tidak aktif.",
        )
    icd = check_icd10(diagnosis)
    code = programme.strip()
    if code not in PRB_PROGRAMMES:
        raise invalid(
            "programme",
            "unknown_prb_programme",
            "programme is one of the PRB codes 01-09.",
            "programme harus salah satu kode PRB 01-09.",
        )
    text = advice.strip()
    if not text:
        raise invalid(
            "advice",
            "advice_missing",
            "Give the FKTP the hospital's advice (medicines, next review).",
            "Tuliskan anjuran rumah sakit untuk FKTP (obat, kontrol berikutnya).",
        )
    if len(text) > NOTES_MAX:
        raise invalid(
            "advice",
            "advice_too_long",
            f"advice may be at most {NOTES_MAX} characters.",
            f"Anjuran paling banyak {NOTES_MAX} karakter.",
        )
    # The FKTP is the member's registered one on the day, not the one that referred (R5).
    return BackReferralDraft(referral.number, member.fktp_code, icd, code, text)
