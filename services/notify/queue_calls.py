"""Notify tells a member their queue number is called (QueueNumberCalled, from referral): at
once, on the member's best channel (template `queue_call`), never held over quiet hours."""

from __future__ import annotations

import asyncpg

from contracts import Envelope, events
from services.notify import store


async def on_queue_number_called(
    conn: asyncpg.Connection, env: Envelope, e: events.QueueNumberCalled
) -> None:
    """Where to go, now; a member notify cannot reach is skipped."""
    contact = await store.contact(conn, e.member_id)
    route = contact.best_channel() if contact else None
    if contact is None or route is None:
        return
    channel, destination = route
    await store.queue(
        conn, source_event_id=env.event_id, correlation_id=env.correlation_id,
        member_id=e.member_id, template="queue_call", channel=channel,
        destination=destination, locale=contact.locale,
        params={"queue_number": e.queue_label or str(e.queue_number),
                "facility_name": e.facility_name or e.facility_code,
                "counter": e.poli_name or e.poli_code})
