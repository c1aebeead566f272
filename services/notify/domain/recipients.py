"""Who is told, and on which channel. Pure: the address book is passed in, never read here."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from services.notify.domain.quiet import QuietHours, release_at
from services.notify.domain.routing import Channel, Kind, Preferences, Reach, route

# Request statuses worth a message: `received` was the 202 itself; `approved` is always followed
# at once by `scheduled` or `applied`, which say more.
TOLD = frozenset({"checking", "rejected", "scheduled", "applied"})


def worth_telling(request_status: str | None) -> bool:
    """Whether a member hears about a request that moved to this status."""
    return request_status in TOLD


@dataclass(frozen=True, slots=True)
class Contact:
    """Where notify can reach a member (its own copy, from membership's events)."""

    email: str | None
    phone: str | None
    locale: str = "id"

    def best_channel(self) -> tuple[str, str] | None:
        """(channel, destination): email first, else SMS; None when there is neither (a member
        without an account is told at the branch or in the app, not by notify)."""
        if self.email:
            return "email", self.email
        if self.phone:
            return "sms", self.phone
        return None

    def reach(self) -> Reach:
        """What routing needs to know: which of the channels notify sends on today it has."""
        return Reach(email=bool(self.email), phone=bool(self.phone))


# The channels notify has senders for. Push, chat and the in-app inbox are issue 17's: until
# then routing's plan is cut to these.
SENDABLE = (Channel.EMAIL, Channel.SMS)


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where one message goes, and when it may first be tried (None: at once)."""

    channel: str
    destination: str
    not_before: datetime | None


# Premium messages the member did not ask for wait out quiet hours; a payment's receipt and
# the reactivation it brings answer what the member just did, so they go at once, day or
# night, as a bank's debit notice does.
HELD_OVERNIGHT = frozenset({"bill_issued", "bill_reminder", "coverage_non_active"})


def billing_delivery(contact: Contact, template: str, occurred_at: datetime) -> Delivery | None:
    """A premium message's channel by routing (the cheap one before SMS, which the branch pays
    per segment for) and its quiet-hours hold: a bill run at midnight reaches phones at 06:00
    WIB. The hold runs from when billing issued it, so a consumer catching up in the morning
    sends at once. None when notify cannot reach the member."""
    plan = route(Kind.BILLING, contact.reach(), Preferences(language=contact.locale))
    channel = next((c for c in plan.channels if c in SENDABLE), None)
    if channel is None:
        return None
    destination = contact.email if channel is Channel.EMAIL else contact.phone
    assert destination is not None  # routing only plans a channel the member can be reached on
    held = template in HELD_OVERNIGHT
    return Delivery(channel.value, destination,
                    release_at(occurred_at, QuietHours(), Kind.BILLING) if held else None)


def tells_payer(payload: Mapping[str, object]) -> bool:
    """Whether a bill or payment has a member to tell: a family's, for its head. Employer and
    government payers have no member_id; they are dropped before any database work."""
    return payload.get("payer_kind") == "family" and payload.get("member_id") is not None


def activated_contact(
    email: str | None, phone: str | None, channel: str, destination: str, locale: str
) -> Contact:
    """The address book entry an activation leaves: the verified destination fills its slot."""
    return Contact(
        email=email or (destination if channel == "email" else None),
        phone=phone or (destination if channel == "sms" else None),
        locale=locale,
    )
