"""The HTTP API's request and response models, in families (`...Create` in, `...Public` out).

The routes turn each request model into a handler command (handlers/commands.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from common.text import path_text, secret
from common.text import text as _text

Locale = Literal["id", "en"]


def _date_as_text(v: object) -> object:
    # Lax date parsing would read 0 as 1970-01-01; a client sends dates as YYYY-MM-DD.
    if not isinstance(v, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return v


Day = Annotated[date, BeforeValidator(_date_as_text)]
# Strict: "2" and true are not a care class (lax ints would take both).
CareClass = Annotated[int, Field(strict=True, ge=1, le=3)]
Name = _text(120)
Reference = _text(200)
Code = _text(16)
Ticket = path_text(40)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegistrationCreate(Strict):
    nik: _text(32) = Field(description="16-digit NIK")
    full_name: Name
    birth_date: Day
    email: _text(254) | None = None
    phone: _text(32) | None = None
    password: secret(1024)
    locale: Locale | None = None


class RegistrationPublic(BaseModel):
    registration_id: uuid.UUID
    channel: Literal["email", "sms"]
    destination: str = Field(description="masked address the code went to")
    expires_at: datetime
    resend_after: datetime


class ResendRequest(Strict):
    channel: Literal["email", "sms"] | None = None
    # Another contact to send the code to (the one given first was taken meanwhile).
    email: _text(254) | None = None
    phone: _text(32) | None = None


class VerifyRequest(Strict):
    code: Code


class Activated(BaseModel):
    status: Literal["active"] = "active"
    account_id: uuid.UUID
    card_number: str


class TokenRequest(Strict):
    username: _text(254) = Field(description="email, phone, card or NIK")
    password: secret(1024)


class RefreshRequest(Strict):
    refresh_token: secret(256, min_length=16)


class LogoutRequest(Strict):
    refresh_token: str | None = Field(None, min_length=16, max_length=256)


class PasswordChange(Strict):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str
    refresh_expires_in: int


class Facility(BaseModel):
    code: str
    name: str | None


class MePublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    card_number: str
    full_name: str
    segment: str
    care_class: int = Field(serialization_alias="class")
    fktp: Facility
    coverage_status: Literal["active", "inactive"]
    family_id: str
    email: str | None
    phone: str | None
    address: dict | None = None
    va: str | None = Field(None, description="the family's virtual account for premiums "
                           "(16 digits); null until billing opened it")


Reason = Literal["regular", "domicile_move", "posting", "redistribution"]


class FaskesChangeCreate(Strict):
    faskes_code: _text(16, min_length=4, pattern=r"^[0-9A-Z]+$")
    reason: Reason = "regular"
    evidence_ref: Reference | None = None


class ClassChangeCreate(Strict):
    care_class: CareClass


class NewbornCreate(Strict):
    nik: _text(16, pattern=r"^[0-9]{16}$")
    full_name: Name
    birth_date: Day
    sex: Literal["M", "F"]
    birth_document_ref: Reference | None = None


class IdentityCorrectionCreate(Strict):
    field: Literal["full_name", "birth_date", "nik"]
    value: _text(120)
    evidence_ref: Reference


class Address(Strict):
    street: _text(200)
    rt_rw: _text(16) | None = None
    village: _text(100) | None = None
    district: _text(100) | None = None
    regency: _text(100) | None = None
    postal_code: _text(5, pattern=r"^[0-9]{5}$") | None = None


class ContactChangeCreate(Strict):
    email: _text(254) | None = None
    phone: _text(32) | None = None


class CodeSubmit(Strict):
    code: Code


class Accepted(BaseModel):
    request_id: uuid.UUID
    status: str
    links: dict[str, str]


class TimelineEntry(BaseModel):
    status: str
    at: datetime


class RequestPublic(BaseModel):
    request_id: uuid.UUID
    kind: str
    status: str
    channel: Literal["app", "kiosk"]  # kiosk: an officer started it in an assisted session
    created_at: datetime
    updated_at: datetime
    effective_date: date | None
    details: dict
    rule: str | None
    reason_en: str | None
    reason_id: str | None
    timeline: list[TimelineEntry]


class FamilyApplicant(Strict):
    nik: _text(32)
    full_name: Name
    birth_date: Day


class FamilyCreate(Strict):
    kk_number: _text(32)
    care_class: CareClass
    fktp_code: _text(16, min_length=4)
    members: list[FamilyApplicant] = Field(min_length=1, max_length=20)


class ComplaintCreate(Strict):
    category: _text(40)
    # Multi-line: a complaint keeps its paragraphs (newlines and tabs); other controls refused.
    text: _text(8000, multiline=True)


class ComplaintAnswer(Strict):
    text: _text(4000, min_length=10, multiline=True)


class OfficerDecision(Strict):
    # Strict: "yes", "1" or 1 must not approve a request by accident.
    approve: StrictBool
    reason_en: _text(500, multiline=True) | None = None
    reason_id: _text(500, multiline=True) | None = None


class AssistedSessionStart(Strict):
    card_number: _text(13, min_length=13, pattern=r"^[0-9]{13}$")


class AssigneeSet(Strict):
    assignee: _text(40, min_length=3)
