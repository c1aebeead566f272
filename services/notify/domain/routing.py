"""Which channels a message goes to, in order, and why the others were skipped. Pure.

Issue 17: security codes go to the channel the member chose for them; everything else prefers
push, then chat, then email, then SMS; the in-app inbox always gets a copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a member-facing message is about; each contract event maps to one."""

    SECURITY_CODE = "security_code"  # VerificationCodeIssued, ContactCodeIssued
    QUEUE_CALL = "queue_call"  # the member's number is called at the facility
    REQUEST_UPDATE = "request_update"  # MemberRequestUpdated, FaskesChanged, ClassChanged
    BILLING = "billing"  # PremiumArrearsChanged
    COMPLAINT = "complaint"  # ComplaintFiled, ComplaintAnswered
    REFERRAL = "referral"  # a referral issued or about to lapse
    GENERAL = "general"  # AccountActivated, ContactChanged, announcements


class Channel(StrEnum):
    PUSH = "push"
    CHAT = "chat"
    EMAIL = "email"
    SMS = "sms"
    INBOX = "inbox"


# Cheapest and quickest first; SMS last because it is the one the branch pays per segment for.
PREFERRED = (Channel.PUSH, Channel.CHAT, Channel.EMAIL, Channel.SMS)
# A code must reach an address outside the app (the inbox and push sit behind the login the
# code may be unlocking). SMS first when the member has not chosen: it needs no data plan.
CODE_CHANNELS = (Channel.SMS, Channel.CHAT, Channel.EMAIL)


@dataclass(frozen=True, slots=True)
class Reach:
    """What notify has for a member: registered devices, a chat opt-in, an email, a phone."""

    devices: int = 0
    chat_opt_in: bool = False
    email: bool = False
    phone: bool = False

    def lacks(self, channel: Channel) -> str | None:
        """Why the member cannot be reached on `channel`, or None when they can."""
        match channel:
            case Channel.PUSH:
                return None if self.devices > 0 else "no_device"
            case Channel.CHAT:
                # WhatsApp Business may only message a phone whose owner opted in.
                if not self.phone:
                    return "no_phone"
                return None if self.chat_opt_in else "no_chat_opt_in"
            case Channel.EMAIL:
                return None if self.email else "no_email"
            case Channel.SMS:
                return None if self.phone else "no_phone"
        return None  # the inbox needs nothing but the account


@dataclass(frozen=True, slots=True)
class Preferences:
    """A member's choices: the channel for codes, channels turned off, language, quiet hours."""

    code_channel: Channel | None = None
    disabled: frozenset[Channel] = frozenset()
    language: str = "id"

    def __post_init__(self) -> None:
        if self.code_channel is not None and self.code_channel not in CODE_CHANNELS:
            raise ValueError("code_channel must be sms, chat or email")
        if Channel.INBOX in self.disabled:
            raise ValueError("the inbox cannot be disabled")


@dataclass(frozen=True, slots=True)
class Plan:
    """Channels to try in order (the first is primary, the rest fall back), the inbox copy,
    and each channel left out with the reason, to be recorded."""

    channels: tuple[Channel, ...]
    skipped: tuple[tuple[Channel, str], ...] = ()
    inbox: bool = True

    @property
    def primary(self) -> Channel | None:
        return self.channels[0] if self.channels else None

    def without(self, channel: Channel, reason: str) -> Plan:
        """The plan with `channel` taken out for `reason` (an SMS over budget)."""
        if channel not in self.channels:
            return self
        kept = tuple(c for c in self.channels if c != channel)
        return Plan(kept, (*self.skipped, (channel, reason)), self.inbox)


def route(kind: Kind, reach: Reach, prefs: Preferences) -> Plan:
    """The ordered channel plan for one message to one member."""
    if kind is Kind.SECURITY_CODE:
        chosen = prefs.code_channel or CODE_CHANNELS[0]
        order = (chosen, *(c for c in CODE_CHANNELS if c != chosen))
        # Turning a channel off is for news, not for codes: a member cannot opt out of the code
        # that lets them in, so only what is missing is skipped.
        disabled: frozenset[Channel] = frozenset()
    else:
        order, disabled = PREFERRED, prefs.disabled
    channels: list[Channel] = []
    skipped: list[tuple[Channel, str]] = []
    for c in order:
        reason = "disabled" if c in disabled else reach.lacks(c)
        if reason is None:
            channels.append(c)
        else:
            skipped.append((c, reason))
    return Plan(tuple(channels), tuple(skipped))
