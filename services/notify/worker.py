"""Notify's background work: (topic, event type) -> handler for its consumer group, and the
dispatcher loop that runs DeliverDue whenever a notification is queued or falls due."""

from __future__ import annotations

import aiohttp

from common.consumer import ConsumerSpec, Handler, group_specs
from common.runtime import Runtime
from common.wakeable import WakeableLoop
from contracts import Envelope, events, registered_events
from services.notify import handlers, queue_calls
from services.notify.channels import Channels
from services.notify.domain.delivery import DeliverDue
from services.notify.domain.recipients import tells_payer, worth_telling
from services.notify.referral_handlers import on_referral_issued

# Each event type is published on one topic, its contract's: membership's and billing's today.
TOPIC_OF = {event.type: event.topic for event in registered_events()}
ROUTES: dict[tuple[str, str], Handler] = {
    (TOPIC_OF[event_type], event_type): handler
    for event_type, handler in handlers.EVENT_HANDLERS.items()
}
ROUTES[(events.QueueNumberCalled.topic, events.QueueNumberCalled.type)] = (
    queue_calls.on_queue_number_called)
ROUTES[(events.ReferralIssued.topic, events.ReferralIssued.type)] = on_referral_issued
# Bills and payments of employers and the government name no member to tell.
PAYER_EVENTS = frozenset({events.BillIssued.type, events.PaymentReceived.type})


def wants(env: Envelope) -> bool:
    """Skip, before the dedup insert, request updates nobody is told about and bills and
    payments that are not a family's."""
    if env.type == events.MemberRequestUpdated.type:
        return worth_telling(env.payload.get("status"))
    if env.type in PAYER_EVENTS:
        return tells_payer(env.payload)
    return True


CONSUMERS: list[ConsumerSpec] = group_specs("notify", ROUTES, wants)
DELIVER = DeliverDue()


async def dispatcher(rt: Runtime) -> None:
    """Deliver until cancelled (a ServiceDefinition task): woken by the queue's NOTIFY, with a
    one-second sweep for retries falling due."""
    s = rt.settings
    async with aiohttp.ClientSession() as client:
        channels = Channels(s, client)

        async def step() -> bool:
            async with rt.pool.acquire() as conn, conn.transaction():
                tried = await handlers.deliver_due(
                    conn, DELIVER, rt.clock, send=channels.send, seal_key=s.seal_key,
                    max_attempts=s.max_attempts)
            return tried == DELIVER.batch

        loop = WakeableLoop(s.database_url.get_secret_value(), "notifications", step,
                            sweep_seconds=1.0, name="dispatcher")
        try:
            await loop.run()
        finally:
            await loop.close()
