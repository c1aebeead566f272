"""A provider's signed receipt moves one message's status forward (queued, sent, delivered,
read, failed) and publishes NotificationDelivered or NotificationFailed when it says something
new. The signature is checked by the route before this runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from common.errors import NotFound
from contracts import events
from services.notify.domain.receipts import Status, apply_receipt
from services.notify.handlers.delivery import publish
from services.notify.store import queue


async def on_receipt(conn: asyncpg.Connection, channel: str, message_id: str, status: str,
                     at: datetime) -> dict[str, Any]:
    n = await queue.for_receipt(conn, channel, message_id)
    if n is None:
        raise NotFound("message_not_found", "No message on this channel has this id.",
                       "Tidak ada pesan dengan id ini pada saluran ini.", field="message_id")
    move = apply_receipt(Status(n["delivery_status"]), Status(status))
    if move.changed:
        await queue.set_delivery_status(conn, n["notification_id"], move.status, at)
        about = {"notification_id": n["notification_id"],
                 "source_event_id": n["source_event_id"], "member_id": n["member_id"],
                 "channel": n["channel"]}
        if move.status in (Status.DELIVERED, Status.READ):
            await publish(conn, n, events.NotificationDelivered(
                **about, status=move.status.value, at=at))
        elif move.status is Status.FAILED:
            await publish(conn, n, events.NotificationFailed(
                # The provider's own words stay out: they may quote the address.
                **about, attempt=n["attempts"], final=True, error="provider receipt: failed"))
    return {"notification_id": n["notification_id"], "status": move.status.value,
            "changed": move.changed}
