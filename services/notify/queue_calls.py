"""Notify tells a member their queue number is called (QueueNumberCalled, from referral): at
once (a queue call is urgent, never held over quiet hours), by push first, template
`queue_call`; a call nobody could deliver within QUEUE_CALL_STALE_AFTER is given up."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from contracts import Envelope, events
from services.notify.domain.budget import SmsBudget
from services.notify.handlers.fanout import _fan_out

# Product decision: the member is in the waiting room; a call an hour late helps nobody.
QUEUE_CALL_STALE_AFTER = timedelta(minutes=30)


async def on_queue_number_called(
    conn: asyncpg.Connection, env: Envelope, e: events.QueueNumberCalled, *, budget: SmsBudget
) -> None:
    """Where to go, now."""
    await _fan_out(conn, env, "queue_call", e.member_id, {
        "queue_number": e.queue_label or str(e.queue_number),
        "facility_name": e.facility_name or e.facility_code,
        "counter": e.poli_name or e.poli_code}, budget,
        deadline=e.called_at + QUEUE_CALL_STALE_AFTER)
