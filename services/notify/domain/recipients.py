"""Who is told, and on which channel. Pure: the address book is passed in, never read here."""

from __future__ import annotations

from dataclasses import dataclass

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


def activated_contact(
    email: str | None, phone: str | None, channel: str, destination: str, locale: str
) -> Contact:
    """The address book entry an activation leaves: the verified destination fills its slot."""
    return Contact(
        email=email or (destination if channel == "email" else None),
        phone=phone or (destination if channel == "sms" else None),
        locale=locale,
    )
