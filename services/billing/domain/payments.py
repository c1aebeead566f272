"""A bank's payment as billing accepts it: channels, the body's fingerprint, its checks, the
in-app intent it must match, and how a bank account is shown."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from common.bridging import MAX_SKEW_SECONDS
from common.errors import Conflict, InvalidInput

# The banks a family's VA is paid through (domain.md §3 "Payment" [S6]): 88888 VAs at BRI,
# BNI, BTN and BCA, 89888 VAs at Mandiri. PaymentReceived.channel carries these, plus
# `autodebit` for a collection billing asked a bank for itself.
BankChannel = Literal["bri", "bni", "btn", "bca", "mandiri"]
VA_CHANNELS: dict[str, frozenset[str]] = {
    "default": frozenset({"bri", "bni", "btn", "bca"}),
    "mandiri": frozenset({"mandiri"}),
}
AUTODEBIT = "autodebit"
# Product decision: an intent is what the app shows as "pay before"; a day covers paying at an
# ATM after work, and a stale amount (the next bill came) is never offered for long.
INTENT_TTL = timedelta(hours=24)
# A bank's clock may run a little ahead of ours: the bridging skew (5 minutes) is allowed.
PAID_AT_SKEW = timedelta(seconds=MAX_SKEW_SECONDS)


@dataclass(frozen=True)
class BankPayment:
    """One payment as the bank reported it, parsed (amount in rupiah, paid_at aware)."""

    va: str
    amount: int
    paid_at: datetime
    bank_reference: str
    channel: str


def fingerprint(key: bytes, payment: BankPayment) -> str:
    """A keyed hash of what the bank said, to tell a retry from a changed body.

    Keyed, so the stored value cannot be searched for a VA offline; paid_at in UTC, so the same
    moment written in another offset is the same delivery.
    """
    canonical: dict[str, Any] = {
        "va": payment.va, "amount": payment.amount, "channel": payment.channel,
        "bank_reference": payment.bank_reference,
        "paid_at": payment.paid_at.astimezone(UTC).isoformat(),
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def reference_reused() -> Conflict:
    """The same bank_reference came with a different body: refused, never settled again."""
    return Conflict("bank_reference_reused",
                    "This bank_reference was already used for a different payment.",
                    "bank_reference ini sudah dipakai untuk pembayaran lain.",
                    field="bank_reference")


def check_paid_at(paid_at: datetime, now: datetime) -> None:
    """InvalidInput naming paid_at when it is later than now (beyond the clock skew allowed)."""
    if paid_at > now + PAID_AT_SKEW:
        raise InvalidInput("paid_at_future", "paid_at is in the future.",
                           "paid_at berada di masa depan.", field="paid_at")


def check_channel(va_channel: str, channel: str) -> None:
    """InvalidInput naming channel when the VA's prefix belongs to another bank (89888 is
    Mandiri's, 88888 everyone else's)."""
    if channel not in VA_CHANNELS.get(va_channel, frozenset()):
        raise InvalidInput("channel_mismatch",
                           "This VA is not paid through that channel (89888 VAs are Mandiri's).",
                           "VA ini tidak dibayar melalui kanal tersebut (VA 89888 milik Mandiri).",
                           field="channel")


@dataclass(frozen=True)
class OpenIntent:
    """An intent still waiting for the bank: its id, amount and expiry."""

    intent_id: Any
    amount: int
    expires_at: datetime


def matching_intent(intents: Iterable[OpenIntent], amount: int,
                    now: datetime) -> OpenIntent | None:
    """The live intent this amount pays; None when there is none to match; InvalidInput naming
    amount when a live intent waits for a different amount."""
    live = [i for i in intents if i.expires_at > now]
    if not live:
        return None
    for intent in live:
        if intent.amount == amount:
            return intent
    raise InvalidInput("amount_mismatch",
                       "amount does not match the payment the member started in the app.",
                       "amount tidak sesuai dengan pembayaran yang dibuat peserta di aplikasi.",
                       field="amount")


def intent_expiry(now: datetime) -> datetime:
    """When an intent made now stops being offered."""
    return now + INTENT_TTL


def mask_account(account_number: str) -> str:
    """A bank account shown as its last 4 digits only: ******7890."""
    shown = account_number[-4:] if len(account_number) > 8 else ""
    return "*" * (len(account_number) - len(shown)) + shown
