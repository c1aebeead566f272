"""Referral's request bodies and query models: strict, so a number is not a card number and 0
is not a date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict

from common.text import text


def _date_as_text(v: object) -> object:
    # Lax date parsing would read 0 as 1970-01-01; a client sends dates as YYYY-MM-DD.
    if not isinstance(v, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return v


Day = Annotated[date, BeforeValidator(_date_as_text)]
CardNumber = text(13, min_length=13, pattern=r"^[0-9]{13}$")
Nik = text(16, min_length=16, pattern=r"^[0-9]{16}$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EligibilityQuery(Strict):
    """GET /v1/partners/facility/eligibility's query: one of card_number or nik, and a date
    (today in WIB when left out)."""

    card_number: CardNumber | None = None
    nik: Nik | None = None
    date: Day | None = None


DocumentNumber = text(19, min_length=19)
FacilityCode = text(8, min_length=8, pattern=r"^[0-9A-Z]{8}$")


class ReferralCreate(Strict):
    """An FKTP's referral (POST /v1/partners/facility/referrals); the rules check the codes
    (ICD-10 form, poli at the destination, service type) and name the field they refuse."""

    card_number: CardNumber
    destination_code: FacilityCode
    poli_code: text(8)
    diagnosis: text(16)
    service_type: text(1)
    notes: text(400) = ""


class VisitCreate(Strict):
    """A visit a facility records (POST /v1/partners/facility/visits); `visited_on` today
    (WIB) when left out; a hospital names the referral or control letter it serves under."""

    card_number: CardNumber
    poli_code: text(8)
    visited_on: Day | None = None
    referral_number: DocumentNumber | None = None
    control_letter_number: DocumentNumber | None = None


class ControlLetterCreate(Strict):
    """A hospital's control letter for a repeat visit (POST .../control-letters)."""

    referral_number: DocumentNumber
    visit_number: DocumentNumber
    poli_code: text(8)
    planned_date: Day
    doctor_id: text(32) | None = None


class BackReferralCreate(Strict):
    """A hospital's back-referral to the member's FKTP (POST .../back-referrals)."""

    referral_number: DocumentNumber
    diagnosis: text(16)
    programme: text(2)
    advice: text(400)


REFERRAL_EXAMPLE = {
    "card_number": "0009900000055",
    "destination_code": "1871R001",
    "poli_code": "INT",
    "diagnosis": "E11.9",
    "service_type": "2",
    "notes": "Kontrol gula darah",
}
VISIT_EXAMPLE = {
    "card_number": "0009900000055",
    "poli_code": "INT",
    "referral_number": "187100031226P000001",
}
CONTROL_LETTER_EXAMPLE = {
    "referral_number": "187100031226P000001",
    "visit_number": "1871R0011226V000001",
    "poli_code": "INT",
    "planned_date": "2026-12-15",
}
BACK_REFERRAL_EXAMPLE = {
    "referral_number": "187100031226P000001",
    "diagnosis": "E11.9",
    "programme": "01",
    "advice": "Metformin 2x500 mg; kontrol ke RS 3 bulan lagi",
}
