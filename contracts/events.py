"""Every integration event, by producing service. Past tense; payloads carry ids, not secrets.

A verification code crosses Kafka only sealed (encrypted for notify): the topic keeps it for its
retention period, and anyone who can read the topic must not be able to log in with it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

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
