"""Who is told, and the address book entry. Pure: the address book is passed in, never read here.

Which channel a message takes is routing's (domain/routing.py, applied by domain/fanout.py)."""

from __future__ import annotations

from collections.abc import Mapping
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
