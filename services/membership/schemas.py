"""The HTTP API's request and response models (also the commands handlers take)."""

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
