"""Notify's background work: (topic, event type) -> handler for its consumer group, and the
dispatcher loop that runs DeliverDue whenever a notification is queued or falls due."""

from __future__ import annotations

import aiohttp

from common.consumer import ConsumerSpec, Handler, group_specs
from common.runtime import Runtime
from common.wakeable import WakeableLoop
from contracts import Envelope, events, topics
from services.notify import handlers
from services.notify.channels import Channels
from services.notify.domain.delivery import DeliverDue
from services.notify.domain.recipients import worth_telling

# Everything notify consumes today is membership's; another producer's events get their own rows.
ROUTES: dict[tuple[str, str], Handler] = {
    (topics.MEMBERSHIP, event_type): handler
    for event_type, handler in handlers.EVENT_HANDLERS.items()
}


def wants(env: Envelope) -> bool:
    """Skip request updates nobody is told about, before the dedup insert."""
    return env.type != events.MemberRequestUpdated.type or worth_telling(env.payload.get("status"))


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
