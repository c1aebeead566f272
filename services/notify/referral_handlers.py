"""Notify's referral events (issues 17, 18): a referral issued or expired, a back-referral, a
control letter, a queue booking made or cancelled, each fanned out to the member it names with
only the fields its template shows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg

from contracts import Envelope, events
from services.notify.domain.budget import SmsBudget
from services.notify.handlers.fanout import _fan_out

Handler = Callable[..., Awaitable[None]]


def _telling(template: str, fields: set[str]) -> Handler:
    """A handler that fans `template` out to the event's member with `fields` of the event."""

    async def handle(conn: asyncpg.Connection, env: Envelope, e: events.Event, *,
                     budget: SmsBudget) -> None:
        await _fan_out(conn, env, template, e.member_id,
                       e.model_dump(mode="json", include=fields), budget)

    handle.__name__ = f"on_{template}"
    return handle


on_referral_issued = _telling(
    "referral_issued", {"referral_number", "to_facility_name", "poli_code", "valid_through"})
on_referral_expired = _telling("referral_expired", {"referral_number", "expired_on"})
on_back_referral_issued = _telling("back_referral_issued", {"number", "to_facility", "issued_on"})
on_control_letter_issued = _telling(
    "control_letter_issued", {"number", "facility_code", "poli_code", "visit_on"})
on_queue_booked = _telling("queue_booked", {"booking_code", "queue_number", "facility_code",
                                            "poli_code", "service_date", "estimated_service_at"})
# The reason is the facility's free text: the app shows it, a message does not carry it.
on_queue_booking_cancelled = _telling("queue_booking_cancelled", {"booking_code"})
