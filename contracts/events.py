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
# Where notify delivers: push and chat joined email and SMS in issue 17.
DeliveryChannel = Literal["push", "chat", "email", "sms"]
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
    """A person joined an existing family (a newborn), with a new card number. Billing bills
    them with the family: the payer (family, employer or budget) is the family's."""

    type = "MemberAdded"
    topic = topics.MEMBERSHIP

    family_id: str
    member_id: uuid.UUID
    card_number: str
    segment: str
    care_class: int
    effective_date: date
    relationship: str = "child"
    fktp_code: str | None = Field(None, description="the FKTP the new member is listed at")
    nik_digest: str | None = Field(
        None, description="HMAC-SHA256 of the NIK under JKN_NIK_DIGEST_KEY (common.nik_digest)"
    )


class ContactCodeIssued(Event):
    """A code went out to prove a new email or phone before it replaces the old one, or (purpose
    assisted_session) to the member's login contact, for the consent they give a branch officer
    at the kiosk (request_id is then the assisted session's id)."""

    type = "ContactCodeIssued"
    topic = topics.MEMBERSHIP

    request_id: uuid.UUID
    purpose: Literal["contact_change", "assisted_session"] = "contact_change"
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


class EnrolledMember(BaseModel):
    """One participant as billing and referral need it; part of FamilyEnrolled, not an event on
    its own."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    member_id: uuid.UUID
    card_number: str
    relationship: str
    segment: Literal["PBPU", "BP", "PPU_BU", "PPU_PN", "PBI_APBN", "PBI_APBD"]
    care_class: int = Field(ge=1, le=3)
    fktp_code: str
    registered_on: date
    payer_id: str = Field("", description="employer id (PPU) or paying region (PBI APBD)")
    wage: int | None = Field(None, ge=0, description="monthly wage of a PPU worker, rupiah")
    minimum_wage: int | None = Field(None, ge=0, description="regional minimum wage (UMK)")
    nik_digest: str | None = Field(
        None, description="HMAC-SHA256 of the NIK under JKN_NIK_DIGEST_KEY (common.nik_digest)"
    )


class FamilyEnrolled(Event):
    """A family (KK) is in the register: every participant reaches billing this way, from the
    seed or a bulk import as from a registration. `arrears_months` is the opening balance the
    register carried over (months unpaid before `as_of`'s month), 0 for an up-to-date family."""

    type = "FamilyEnrolled"
    topic = topics.MEMBERSHIP

    family_id: str
    head_member_id: uuid.UUID
    head_card_number: str
    head_name: str = Field(description="shown masked to a bank's VA inquiry")
    members: list[EnrolledMember]
    coverage: Literal["active", "non_active"]
    arrears_months: int = Field(0, ge=0)
    as_of: date


class SessionEnded(Event):
    """A member's login session ended (logout, password change, reused refresh token): every
    service that reads member access tokens stops accepting the session's `sid`."""

    type = "SessionEnded"
    topic = topics.MEMBERSHIP

    member_id: uuid.UUID
    sid: uuid.UUID
    ended_at: datetime


class StaffDisabled(Event):
    """An admin disabled a staff account: every service with staff routes refuses its tokens
    at once, not when they expire (the account's username, as its staff tokens name it; keyed
    by the username, so one account's events stay ordered)."""

    type = "StaffDisabled"
    topic = topics.MEMBERSHIP

    username: str
    disabled_at: datetime


# --- billing -----------------------------------------------------------------------------------


class PremiumArrearsChanged(Event):
    """How many months a family owes changed (billing publishes; class changes need zero)."""

    type = "PremiumArrearsChanged"
    topic = topics.BILLING

    family_id: str
    unpaid_months: int = Field(ge=0)


PayerKind = Literal["family", "employer", "government"]
# The bank a VA payment came through (88888 VAs: BRI, BNI, BTN, BCA; 89888 VAs: Mandiri), or
# `autodebit` for a collection billing asked a bank for (services/billing/domain/payments.py).
PaymentChannel = Literal["bri", "bni", "btn", "bca", "mandiri", "autodebit"]


class VirtualAccountOpened(Event):
    """A family's virtual accounts (one number per channel family, issue 16); membership shows
    `va` on /v1/me."""

    type = "VirtualAccountOpened"
    topic = topics.BILLING

    family_id: str
    va: str = Field(description="88888 + the last 11 digits of the head's card number")
    va_mandiri: str = Field(description="89888 + the same 11 digits")


class BillIssued(Event):
    """One payer's bill for one period. `member_id` is who to tell (the family head), absent
    for employer and government bills."""

    type = "BillIssued"
    topic = topics.BILLING

    bill_id: uuid.UUID
    payer_kind: PayerKind
    payer_id: str
    period: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")
    amount: int = Field(ge=0)
    due_date: date
    member_id: uuid.UUID | None = None
    va: str | None = None
    amount_due: int = Field(ge=0, description="what settles everything now, credit applied")
    locale: Locale = "id"


class BillReminderIssued(Event):
    """A family's bill is still open 3 days before its due date: the member is reminded."""

    type = "BillReminderIssued"
    topic = topics.BILLING

    bill_id: uuid.UUID
    family_id: str
    member_id: uuid.UUID
    period: str
    amount_due: int = Field(ge=0)
    due_date: date
    va: str
    locale: Locale = "id"


class PaymentReceived(Event):
    """Money arrived for a payer (a bank's call, an autodebit collection, a REHAB instalment)."""

    type = "PaymentReceived"
    topic = topics.BILLING

    payment_id: uuid.UUID
    payer_kind: PayerKind
    payer_id: str
    member_id: uuid.UUID | None = None
    va: str | None = None
    amount: int = Field(gt=0)
    channel: PaymentChannel
    bank_reference: str
    paid_at: datetime
    settled_periods: list[str]
    credit: int = Field(ge=0, description="what the payer holds for the next bill after this")
    locale: Locale = "id"


class BillSettled(Event):
    """A bill is paid in full (a month is settled whole or not at all)."""

    type = "BillSettled"
    topic = topics.BILLING

    bill_id: uuid.UUID
    payer_kind: PayerKind
    payer_id: str
    period: str
    payment_id: uuid.UUID | None = Field(None, description="None when credit settled it")


class CoverageStatusChanged(Event):
    """A family's coverage changed: non-active from the 1st after an unpaid 10th, active again
    at once when the counted arrears and the current month are paid."""

    type = "CoverageStatusChanged"
    topic = topics.BILLING

    family_id: str
    member_ids: list[uuid.UUID]
    head_member_id: uuid.UUID
    status: Literal["active", "non_active"]
    effective_date: date
    arrears_months: int = Field(ge=0)
    locale: Locale = "id"
    va: str | None = Field(None, description="the family's VA, for the message on how to pay")


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


class ReferralIssued(Event):
    """An FKTP referred a member to a hospital poli (rujukan); valid 90 days from issue."""

    type = "ReferralIssued"
    topic = topics.REFERRAL

    referral_number: str
    member_id: uuid.UUID
    from_facility: str
    to_facility: str
    to_facility_name: str
    poli_code: str
    service_type: Literal["1", "2"] = Field(description="1 inpatient, 2 outpatient")
    issued_on: date
    valid_through: date
    locale: Locale = "id"


class ReferralExpired(Event):
    """A referral's validity ended (published on its first invalid day)."""

    type = "ReferralExpired"
    topic = topics.REFERRAL

    referral_number: str
    member_id: uuid.UUID
    expired_on: date


class BackReferralIssued(Event):
    """A hospital sent a member back to primary care (rujuk balik, PRB)."""

    type = "BackReferralIssued"
    topic = topics.REFERRAL

    number: str
    member_id: uuid.UUID
    from_facility: str
    to_facility: str
    issued_on: date


class ControlLetterIssued(Event):
    """A hospital gave a member a control letter (surat kontrol) for a repeat visit."""

    type = "ControlLetterIssued"
    topic = topics.REFERRAL

    number: str
    member_id: uuid.UUID
    facility_code: str
    poli_code: str
    visit_on: date


class VisitRecorded(Event):
    """A facility recorded a member's visit (against a referral, a control letter or a booking)."""

    type = "VisitRecorded"
    topic = topics.REFERRAL

    visit_number: str = Field(description="the visit's 19-character number (kind V)")
    member_id: uuid.UUID
    facility_code: str
    poli_code: str
    visited_on: date
    referral_number: str | None = None
    control_letter_number: str | None = None
    booking_code: str | None = None


class QueueBooked(Event):
    """A member booked a queue slot (antrean online)."""

    type = "QueueBooked"
    topic = topics.REFERRAL

    booking_code: str
    member_id: uuid.UUID
    facility_code: str
    poli_code: str
    service_date: date
    queue_number: int
    estimated_service_at: datetime
    locale: Locale = "id"


class QueueBookingCancelled(Event):
    """A booking was cancelled (by the member, or task 99 at the facility); its slot is free."""

    type = "QueueBookingCancelled"
    topic = topics.REFERRAL

    booking_code: str
    member_id: uuid.UUID
    reason: str


class QueueNumberCalled(Event):
    """The facility called a member's queue number: the member is pushed at once."""

    type = "QueueNumberCalled"
    topic = topics.REFERRAL

    booking_code: str
    member_id: uuid.UUID
    facility_code: str
    poli_code: str
    queue_number: int
    called_at: datetime
    locale: Locale = "id"
    # What the member's phone shows (notify knows no facility names): the number as the screen
    # calls it (INT-007), the facility and the poli.
    queue_label: str | None = None
    facility_name: str | None = None
    poli_name: str | None = None


# --- notify -----------------------------------------------------------------------------------


class NotificationSent(Event):
    """A provider accepted one delivery attempt."""

    type = "NotificationSent"
    topic = topics.NOTIFY

    notification_id: uuid.UUID
    source_event_id: uuid.UUID
    member_id: uuid.UUID | None = None
    channel: DeliveryChannel
    attempt: int


class NotificationFailed(Event):
    """One delivery attempt failed; `final` when no retry will follow."""

    type = "NotificationFailed"
    topic = topics.NOTIFY

    notification_id: uuid.UUID
    source_event_id: uuid.UUID
    member_id: uuid.UUID | None = None
    channel: DeliveryChannel
    attempt: int
    error: str
    final: bool


class NotificationDelivered(Event):
    """A provider's signed receipt says the message reached the phone (`delivered`) or was
    opened (`read`); a late or repeated receipt publishes nothing."""

    type = "NotificationDelivered"
    topic = topics.NOTIFY

    notification_id: uuid.UUID
    source_event_id: uuid.UUID
    member_id: uuid.UUID | None = None
    channel: DeliveryChannel
    status: Literal["delivered", "read"]
    at: datetime
