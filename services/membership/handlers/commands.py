"""The commands membership serves: what a caller asks, already parsed (imperative names).

The API builds them from its request schemas; the handlers take them. Plain dataclasses, so a
use case can be called (and tested) without HTTP.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from services.membership.domain.assisted import OnBehalf
from services.membership.tokens import AccessClaims


@dataclass(frozen=True)
class StartRegistration:
    nik: str
    full_name: str
    birth_date: date
    password: str
    email: str | None = None
    phone: str | None = None
    locale: str | None = None


@dataclass(frozen=True)
class ResendCode:
    registration_id: uuid.UUID
    channel: str | None = None
    # Another contact than the one given at the start (it was taken meanwhile, or mistyped):
    # the new code goes there.
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class VerifyRegistration:
    registration_id: uuid.UUID
    code: str


@dataclass(frozen=True)
class LogIn:
    username: str
    password: str


@dataclass(frozen=True)
class RefreshSession:
    refresh_token: str


@dataclass(frozen=True)
class LogOut:
    refresh_token: str | None = None
    sid: uuid.UUID | None = None  # the access token's session, when one was sent


@dataclass(frozen=True)
class ChangePassword:
    member: AccessClaims
    current_password: str
    new_password: str


@dataclass(frozen=True)
class LogInOfficer:
    username: str
    password: str


@dataclass(frozen=True)
class FamilyApplicant:
    nik: str
    full_name: str
    birth_date: date


@dataclass(frozen=True)
class RegisterFamily:
    kk_number: str
    care_class: int
    fktp_code: str
    members: tuple[FamilyApplicant, ...]


@dataclass(frozen=True)
class RequestFaskesChange:
    member: AccessClaims
    faskes_code: str
    reason: str = "regular"
    evidence_ref: str | None = None
    on_behalf: OnBehalf | None = None  # an officer at the kiosk, in an open assisted session


@dataclass(frozen=True)
class RequestClassChange:
    member: AccessClaims
    care_class: int


@dataclass(frozen=True)
class AddNewborn:
    member: AccessClaims
    nik: str
    full_name: str
    birth_date: date
    sex: str
    birth_document_ref: str | None = None


@dataclass(frozen=True)
class CorrectIdentity:
    member: AccessClaims
    field: str
    value: str
    evidence_ref: str
    on_behalf: OnBehalf | None = None  # an officer at the kiosk, in an open assisted session


@dataclass(frozen=True)
class ChangeAddress:
    member: AccessClaims
    address: dict[str, Any]


@dataclass(frozen=True)
class StartContactChange:
    member: AccessClaims
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class VerifyContactChange:
    member: AccessClaims
    request_id: uuid.UUID
    code: str


@dataclass(frozen=True)
class ResendContactCode:
    member: AccessClaims
    request_id: uuid.UUID


@dataclass(frozen=True)
class CancelContactChange:
    member: AccessClaims
    request_id: uuid.UUID


@dataclass(frozen=True)
class FileComplaint:
    member: AccessClaims
    category: str
    text: str


@dataclass(frozen=True)
class DecideRequest:
    officer: str
    request_id: uuid.UUID
    approve: bool
    reason_en: str | None = None
    reason_id: str | None = None


@dataclass(frozen=True)
class AnswerComplaint:
    officer: str
    ticket: str
    text: str


@dataclass(frozen=True)
class CreateStaff:
    username: str
    full_name: str
    role: str
    branch: str | None = None


@dataclass(frozen=True)
class DisableStaff:
    username: str


@dataclass(frozen=True)
class ResetStaffPassword:
    username: str


@dataclass(frozen=True)
class StartAssistedSession:
    officer: str
    card_number: str


@dataclass(frozen=True)
class ConfirmAssistedSession:
    officer: str
    session_id: uuid.UUID
    code: str


@dataclass(frozen=True)
class CloseAssistedSession:
    officer: str
    session_id: uuid.UUID


@dataclass(frozen=True)
class ActForMember:
    """A request an officer starts for the member of their open assisted session: the kind
    (a member use case kiosk_requests serves) and its fields as the member's route takes them."""

    officer: str
    session_id: uuid.UUID
    kind: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class Reassign:
    supervisor: str
    assignee: str
    request_id: uuid.UUID | None = None
    ticket: str | None = None
