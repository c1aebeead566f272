"""Notify's background work: (topic, event type) -> handler for its consumer group, and the
dispatcher loop that runs DeliverDue whenever a notification is queued or falls due."""

from __future__ import annotations

import asyncio
import functools
from dataclasses import replace

import aiohttp

from common.consumer import ConsumerSpec, Handler, group_specs
from common.runtime import Runtime
from common.wakeable import WakeableLoop
from contracts import Envelope, events, registered_events
from services.notify import handlers, queue_calls, referral_handlers
from services.notify.channels import Channels
from services.notify.domain.backoff import POLICIES, RetryPolicy
from services.notify.domain.budget import SmsBudget
from services.notify.domain.delivery import DeliverDue
from services.notify.domain.recipients import tells_payer, worth_telling
from services.notify.domain.routing import Channel
from services.notify.settings import Settings

# Each event type is published on one topic, its contract's: membership's and billing's today.
TOPIC_OF = {event.type: event.topic for event in registered_events()}
# Referral's member-facing events (issue 18), fanned out like the others.
REFERRAL_FANOUT = {
    events.ReferralIssued.type: referral_handlers.on_referral_issued,
    events.QueueNumberCalled.type: queue_calls.on_queue_number_called,
}
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


def routes(budget: SmsBudget) -> dict[tuple[str, str], Handler]:
    """Every handled (topic, event type), the fan-out handlers bound to the day's SMS budget."""
    fanout = {**handlers.FANOUT_HANDLERS, **REFERRAL_FANOUT}
    bound = {t: functools.partial(h, budget=budget) for t, h in fanout.items()}
    return {(TOPIC_OF[t], t): h for t, h in {**bound, **handlers.EVENT_HANDLERS}.items()}


def consumers(budget: SmsBudget) -> list[ConsumerSpec]:
    return group_specs("notify", routes(budget), wants)


def policies(s: Settings) -> dict[Channel, RetryPolicy]:
    """Each channel's retry policy, scaled (tests shorten it) and with NOTIFY_MAX_ATTEMPTS."""
    return {c: replace(p, base=p.base * s.retry_time_scale, cap=p.cap * s.retry_time_scale,
                       max_attempts=s.max_attempts or p.max_attempts)
            for c, p in POLICIES.items()}


DELIVER = DeliverDue()


async def dispatcher(rt: Runtime) -> None:
    """Deliver until cancelled (a ServiceDefinition task): NOTIFY_DISPATCHERS loops side by
    side, each woken by the queue's NOTIFY, with a short sweep for retries falling due.

    Several loops because a claimed batch is recorded only when its slowest send has answered
    (an SMTP handshake, a slow provider): while one waits, the others claim the next rows
    (SKIP LOCKED keeps them apart)."""
    s = rt.settings
    per_channel = policies(s)
    async with aiohttp.ClientSession() as client:
        channels = Channels(s, client)

        async def step() -> bool:
            async with rt.pool.acquire() as conn, conn.transaction():
                tried = await handlers.deliver_due(
                    conn, DELIVER, rt.clock, send=channels.send, seal_key=s.seal_key,
                    policies=per_channel)
            return tried == DELIVER.batch

        # Push retries start at a second (scaled); the sweep must not be the slower of the two.
        sweep = min(1.0, POLICIES[Channel.PUSH].base.total_seconds() * s.retry_time_scale)
        loops = [WakeableLoop(s.database_url.get_secret_value(), "notifications", step,
                              sweep_seconds=sweep, name=f"dispatcher-{i}")
                 for i in range(s.dispatchers)]
        try:
            await asyncio.gather(*(loop.run() for loop in loops))
        finally:
            for loop in loops:
                await loop.close()
