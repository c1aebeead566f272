"""Every integration event, by producing service. Past tense; payloads carry ids, not secrets.

A verification code crosses Kafka only sealed (encrypted for notify): the topic keeps it for its
retention period, and anyone who can read the topic must not be able to log in with it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts import topics
from contracts.envelope import Event

Channel = Literal["email", "sms"]
Locale = Literal["id", "en"]


# --- membership -----------------------------------------------------------------------------


class VerificationCodeIssued(Event):
    """A one-time code was issued; notify delivers it on `channel` to `destination`."""

    type = "VerificationCodeIssued"
    topic = topics.MEMBERSHIP

    registration_id: uuid.UUID
    member_id: uuid.UUID
    purpose: Literal["registration"] = "registration"
    channel: Channel
    destination: str
    code_sealed: str = Field(
        description="the code, encrypted with the key membership shares with notify"
    )
    expires_at: datetime
    locale: Locale = "id"
    full_name: str


class AccountActivated(Event):
    """A registrant proved control of a contact; the member can now log in."""

    type = "AccountActivated"
    topic = topics.MEMBERSHIP

    account_id: uuid.UUID
    member_id: uuid.UUID
    card_number: str
    channel: Channel
    destination: str
    locale: Locale = "id"
    full_name: str
    email: str | None = None  # every verified contact, for notify's address book
    phone: str | None = None


RequestKind = Literal[
    "faskes_change", "class_change", "contact_change", "address_change",
    "identity_correction", "family_member",
]
RequestStatus = Literal["received", "checking", "approved", "rejected", "scheduled", "applied"]


class FaskesChangeRequested(Event):
    """A member asked to move to another primary care facility (FKTP)."""

    type = "FaskesChangeRequested"
    topic = topics.MEMBERSHIP

    request_id: uuid.UUID
    member_id: uuid.UUID
    faskes_code: str
    reason: Literal["regular", "domicile_move", "posting", "redistribution"]
    evidence_ref: str | None = None


class ClassChangeRequested(Event):
    """A PBPU/BP family asked to change its care class (the whole KK moves)."""

    type = "ClassChangeRequested"
    topic = topics.MEMBERSHIP

    request_id: uuid.UUID
    member_id: uuid.UUID
    family_id: str
    care_class: int


class FamilyMemberRequested(Event):
    """A member asked to add a person (a newborn) to their family."""

    type = "FamilyMemberRequested"
    topic = topics.MEMBERSHIP

    request_id: uuid.UUID
    member_id: uuid.UUID
    family_id: str


class IdentityCorrectionRequested(Event):
    """A member asked to correct name, birth date or NIK: an officer reviews it."""

    type = "IdentityCorrectionRequested"
    topic = topics.MEMBERSHIP

    request_id: uuid.UUID
    member_id: uuid.UUID
    field: Literal["full_name", "birth_date", "nik"]


class MemberRequestUpdated(Event):
    """A followable request changed status; a rejection names its rule and reasons."""

    type = "MemberRequestUpdated"
    topic = topics.MEMBERSHIP

    request_id: uuid.UUID
    member_id: uuid.UUID
    kind: RequestKind
    status: RequestStatus
    effective_date: date | None = None
    rule: str | None = None
    reason_en: str | None = None
    reason_id: str | None = None


class FaskesChanged(Event):
    """A member's FKTP changed (on the change's effective date)."""

    type = "FaskesChanged"
    topic = topics.MEMBERSHIP

    member_id: uuid.UUID
    from_code: str
    to_code: str
    effective_date: date


class ClassChanged(Event):
    """A family's care class changed for every member (on the effective date)."""

    type = "ClassChanged"
    topic = topics.MEMBERSHIP

    family_id: str
    member_ids: list[uuid.UUID]
    from_class: int
    to_class: int
    effective_date: date


class FamilyMember(BaseModel):
    """One person of a newly registered family; not an event on its own."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    member_id: uuid.UUID
    card_number: str
    relationship: str


class FamilyRegistered(Event):
    """A new self-paying (PBPU) family joined: billing opens its virtual account and first bill."""

    type = "FamilyRegistered"
    topic = topics.MEMBERSHIP

    family_id: str
    segment: Literal["PBPU"] = "PBPU"
    care_class: int
    fktp_code: str
    registered_on: date
    members: list[FamilyMember]
    head_card_number: str = Field(description="the VA is derived from it (88888 + last 11 digits)")


class MemberAdded(Event):
    """A person joined an existing family (a newborn), with a new card number."""

    type = "MemberAdded"
    topic = topics.MEMBERSHIP

    family_id: str
    member_id: uuid.UUID
    card_number: str
    segment: str
    care_class: int
    effective_date: date


class ContactCodeIssued(Event):
    """A code went out to prove a new email or phone before it replaces the old one."""

    type = "ContactCodeIssued"
    topic = topics.MEMBERSHIP

    request_id: uuid.UUID
    member_id: uuid.UUID
    channel: Channel
    destination: str
    code_sealed: str
    expires_at: datetime
    locale: Locale = "id"
    full_name: str


class ContactChanged(Event):
    """A member's verified contacts changed; the current ones are given."""

    type = "ContactChanged"
    topic = topics.MEMBERSHIP

    member_id: uuid.UUID
    email: str | None = None
    phone: str | None = None
    locale: Locale = "id"


class AccountLoginLocked(Event):
    """Too many wrong passwords in a row for a member's account: logins wait until
    `locked_until`. Names no username and no password (the member is told someone tried)."""

    type = "AccountLoginLocked"
    topic = topics.MEMBERSHIP

    member_id: uuid.UUID
    failures: int
    locked_until: datetime
    locale: Locale = "id"


class ComplaintFiled(Event):
    """A complaint (pengaduan) was filed; `due_at` is its response-time target."""

    type = "ComplaintFiled"
    topic = topics.MEMBERSHIP

    ticket_number: str
    member_id: uuid.UUID
    category: str
    due_at: datetime


class ComplaintAnswered(Event):
    """The branch answered a complaint."""

    type = "ComplaintAnswered"
    topic = topics.MEMBERSHIP

    ticket_number: str
    member_id: uuid.UUID
    within_target: bool


# --- billing -----------------------------------------------------------------------------------


class PremiumArrearsChanged(Event):
    """How many months a family owes changed (billing publishes; class changes need zero)."""

    type = "PremiumArrearsChanged"
    topic = topics.BILLING

    family_id: str
    unpaid_months: int = Field(ge=0)


# --- referral ---------------------------------------------------------------------------------


class FacilityRegistered(Event):
    """A facility entered the registry or changed; consumers keep their own projection."""

    type = "FacilityRegistered"
    topic = topics.REFERRAL

    code: str
    facility_type: Literal["fktp", "fkrtl"]
    kind: str
    name: str
    address: str
    regency: str
    district: str
    lat: float
    lon: float
    capacity: int
    accepts_new_members: bool
    active: bool


# --- notify -----------------------------------------------------------------------------------


class NotificationSent(Event):
    """A provider accepted one delivery attempt."""

    type = "NotificationSent"
    topic = topics.NOTIFY

    notification_id: uuid.UUID
    source_event_id: uuid.UUID
    member_id: uuid.UUID | None = None
    channel: Channel
    attempt: int


class NotificationFailed(Event):
    """One delivery attempt failed; `final` when no retry will follow."""

    type = "NotificationFailed"
    topic = topics.NOTIFY

    notification_id: uuid.UUID
    source_event_id: uuid.UUID
    member_id: uuid.UUID | None = None
    channel: Channel
    attempt: int
    error: str
    final: bool
