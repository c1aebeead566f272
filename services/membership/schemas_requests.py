"""API models of followable requests, families and complaints."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from services.membership.schemas import Strict

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
