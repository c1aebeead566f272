"""Billing's commands: what a member, a bank or the autodebit worker asks billing to do."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from common.member_tokens import AccessClaims
from services.billing.domain.payments import BankPayment


@dataclass(frozen=True)
class ReceiveBankPayment:
    """A bank partner reports money paid into a VA."""

    cons_id: str
    payment: BankPayment


@dataclass(frozen=True)
class StartPayment:
    """The member pays in the app: an intent for what is due now, on the family's VA."""

    who: AccessClaims


@dataclass(frozen=True)
class RegisterAutodebit:
    """The family's bills are collected from this bank account."""

    who: AccessClaims
    bank: str
    account_number: str


@dataclass(frozen=True)
class CancelAutodebit:
    who: AccessClaims


@dataclass(frozen=True)
class TakeRehabPlan:
    """Spread the family's arrears over `parts` monthly instalments (REHAB)."""

    who: AccessClaims
    parts: int


@dataclass(frozen=True)
class RecordCollection:
    """The bank answered an autodebit collection: record it, and settle when it paid."""

    collection_id: uuid.UUID
    succeeded: bool
    code: str
    message: str
