"""The HTTP API's request and response models, in families (`...Create` in, `...Public` out).

The routes turn each request model into a handler command (handlers/commands.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Locale = Literal["id", "en"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RegistrationCreate(Strict):
    nik: str = Field(min_length=1, max_length=32, description="16-digit NIK")
    full_name: str = Field(min_length=1, max_length=120)
    birth_date: date
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)
    password: str = Field(min_length=1, max_length=1024)
    locale: Locale | None = None


class RegistrationPublic(BaseModel):
    registration_id: uuid.UUID
    channel: Literal["email", "sms"]
    destination: str = Field(description="masked address the code went to")
    expires_at: datetime
    resend_after: datetime


class ResendRequest(Strict):
    channel: Literal["email", "sms"] | None = None


class VerifyRequest(Strict):
    code: str = Field(min_length=1, max_length=16)


class Activated(BaseModel):
    status: Literal["active"] = "active"
    account_id: uuid.UUID
    card_number: str


class TokenRequest(Strict):
    username: str = Field(min_length=1, max_length=254, description="email, phone, card or NIK")
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(Strict):
    refresh_token: str = Field(min_length=16, max_length=256)


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


Reason = Literal["regular", "domicile_move", "posting", "redistribution"]


class FaskesChangeCreate(Strict):
    faskes_code: str = Field(min_length=4, max_length=16, pattern=r"^[0-9A-Z]+$")
    reason: Reason = "regular"
    evidence_ref: str | None = Field(default=None, max_length=200)


class ClassChangeCreate(Strict):
    care_class: int = Field(ge=1, le=3)


class NewbornCreate(Strict):
    nik: str = Field(pattern=r"^[0-9]{16}$")
    full_name: str = Field(min_length=1, max_length=120)
    birth_date: date
    sex: Literal["M", "F"]
    birth_document_ref: str | None = Field(default=None, max_length=200)


class IdentityCorrectionCreate(Strict):
    field: Literal["full_name", "birth_date", "nik"]
    value: str = Field(min_length=1, max_length=120)
    evidence_ref: str = Field(min_length=1, max_length=200)


class Address(Strict):
    street: str = Field(min_length=1, max_length=200)
    rt_rw: str | None = Field(default=None, max_length=16)
    village: str | None = Field(default=None, max_length=100)
    district: str | None = Field(default=None, max_length=100)
    regency: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, pattern=r"^[0-9]{5}$")


class ContactChangeCreate(Strict):
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=32)


class CodeSubmit(Strict):
    code: str = Field(min_length=1, max_length=16)


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
    created_at: datetime
    updated_at: datetime
    effective_date: date | None
    details: dict
    rule: str | None
    reason_en: str | None
    reason_id: str | None
    timeline: list[TimelineEntry]


class FamilyApplicant(Strict):
    nik: str = Field(min_length=1, max_length=32)
    full_name: str = Field(min_length=1, max_length=120)
    birth_date: date


class FamilyCreate(Strict):
    kk_number: str = Field(min_length=1, max_length=32)
    care_class: int = Field(ge=1, le=3)
    fktp_code: str = Field(min_length=4, max_length=16)
    members: list[FamilyApplicant] = Field(min_length=1, max_length=20)


class ComplaintCreate(Strict):
    category: str = Field(min_length=1, max_length=40)
    text: str = Field(min_length=1, max_length=8000)


class ComplaintAnswer(Strict):
    text: str = Field(min_length=10, max_length=4000)


class OfficerDecision(Strict):
    approve: bool
    reason_en: str | None = Field(default=None, max_length=500)
    reason_id: str | None = Field(default=None, max_length=500)
