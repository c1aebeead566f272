"""One member-facing message fanned out: its kind, the channel it goes to (with why the others
were skipped), the destinations on that channel, and how long quiet hours hold it. Pure: the
address book, devices and preferences are passed in; the SMS budget is applied by the caller,
which holds the day's spend.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from services.notify.domain.preferences import MemberPreferences
from services.notify.domain.quiet import release_at
from services.notify.domain.routing import Channel, Kind, Plan, Reach, route

KIND_OF: dict[str, Kind] = {
    "verification_code": Kind.SECURITY_CODE,
    # A security alert travels like a code: on the channel chosen for codes, never held.
    "login_locked": Kind.SECURITY_CODE,
    "account_activated": Kind.GENERAL,
    "request_update": Kind.REQUEST_UPDATE,
    "complaint": Kind.COMPLAINT,
    "bill_issued": Kind.BILLING,
    "bill_reminder": Kind.BILLING,
    "payment_received": Kind.BILLING,
    "coverage_active": Kind.BILLING,
    "coverage_non_active": Kind.BILLING,
    "queue_call": Kind.QUEUE_CALL,
    "referral_issued": Kind.REFERRAL,
    "referral_expired": Kind.REFERRAL,
    "back_referral_issued": Kind.REFERRAL,
    "control_letter_issued": Kind.REFERRAL,
    "queue_booked": Kind.GENERAL,
    "queue_booking_cancelled": Kind.GENERAL,
}

# What the member did not just ask for waits out quiet hours. A payment's receipt, the
# reactivation it brings, an activation and a complaint's receipt answer the member's own act,
# so they go at once, as a bank's debit notice does. A referral lapses at midnight (held); a
# back-referral, control letter or booking is handed over at the visit or booked by the member,
# and a cancelled slot must be known before the member sets out (at once).
HELD_OVERNIGHT = frozenset({"bill_issued", "bill_reminder", "coverage_non_active",
                            "request_update", "referral_expired"})


def kind_of(template: str) -> Kind:
    return KIND_OF.get(template, Kind.GENERAL)


@dataclass(frozen=True, slots=True)
class Audience:
    """Everything notify knows about reaching one member."""

    email: str | None
    phone: str | None
    devices: tuple[str, ...]
    prefs: MemberPreferences
    locale: str = "id"

    def reach(self) -> Reach:
        return Reach(devices=len(self.devices), chat_opt_in=self.prefs.chat_opt_in,
                     email=bool(self.email), phone=bool(self.phone))

    @property
    def language(self) -> str:
        return self.prefs.speaking(self.locale).language

    def destinations(self, channel: Channel) -> tuple[str, ...]:
        """Where a message on `channel` goes: each device for push, else the one address."""
        match channel:
            case Channel.PUSH:
                return self.devices
            case Channel.EMAIL:
                return (self.email,) if self.email else ()
            case Channel.CHAT | Channel.SMS:
                return (self.phone,) if self.phone else ()
        return ()


def plan(template: str, audience: Audience) -> Plan:
    """The ordered channels for this message to this member (routing.route)."""
    return route(kind_of(template), audience.reach(), audience.prefs.speaking(audience.locale))


def held_until(template: str, audience: Audience, occurred_at: datetime) -> datetime | None:
    """When quiet hours let the message go (UTC), or None for at once. The hold runs from the
    event's time, so a consumer catching up in the morning sends at once."""
    if template not in HELD_OVERNIGHT:
        return None
    return release_at(occurred_at, audience.prefs.quiet, kind_of(template))


def mask_destination(destination: str) -> str:
    """An address as the inbox may show it: an email's first letter and domain, a phone's
    first five and last four digits."""
    if "@" in destination:
        user, _, domain = destination.partition("@")
        return f"{user[:1]}***@{domain}"
    if len(destination) <= 9:
        return "*" * len(destination)
    return destination[:6] + "*" * (len(destination) - 10) + destination[-4:]
