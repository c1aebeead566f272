"""Notify's background work: (topic, event type) -> handler for its consumer group, and the
dispatcher loop that runs DeliverDue whenever a notification is queued or falls due."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable
from dataclasses import replace

import aiohttp
import asyncpg
from asyncpg.transaction import Transaction

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

log = logging.getLogger(__name__)
# Each event type is published on one topic, its contract's: membership's and billing's today.
TOPIC_OF = {event.type: event.topic for event in registered_events()}
# Referral's member-facing events (issue 18), fanned out like the others.
REFERRAL_FANOUT = {
    events.ReferralIssued.type: referral_handlers.on_referral_issued,
    events.QueueNumberCalled.type: queue_calls.on_queue_number_called,
    events.ReferralExpired.type: referral_handlers.on_referral_expired,
    events.BackReferralIssued.type: referral_handlers.on_back_referral_issued,
    events.ControlLetterIssued.type: referral_handlers.on_control_letter_issued,
    events.QueueBooked.type: referral_handlers.on_queue_booked,
    events.QueueBookingCancelled.type: referral_handlers.on_queue_booking_cancelled,
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
    # A notification is worth its latency: the fan-out commits without waiting for the disk
    # (common.consumer: offsets follow only flushed effects, so nothing is lost).
    return group_specs("notify", routes(budget), wants, async_commit=True)


def policies(s: Settings) -> dict[Channel, RetryPolicy]:
    """Each channel's retry policy, scaled (tests shorten it) and with NOTIFY_MAX_ATTEMPTS."""
    return {c: replace(p, base=p.base * s.retry_time_scale, cap=p.cap * s.retry_time_scale,
                       max_attempts=s.max_attempts or p.max_attempts)
            for c, p in POLICIES.items()}


DELIVER = DeliverDue()


async def dispatcher(rt: Runtime) -> None:
    """Deliver until cancelled (a ServiceDefinition task): one loop, woken by the queue's NOTIFY
    (with a short sweep for retries falling due), claims each batch as soon as it is due and
    leaves it to a task of its own, so up to NOTIFY_DISPATCHERS batches are sent and recorded
    side by side and a claim never waits for an earlier batch's slowest send (an SMTP relay, a
    slow provider). Each batch is one transaction: claim, sends, record; SKIP LOCKED keeps the
    batches apart."""
    s = rt.settings
    per_channel = policies(s)
    free = asyncio.Semaphore(s.dispatchers)
    in_flight: set[asyncio.Task] = set()
    async with aiohttp.ClientSession() as client:
        channels = Channels(s, client)

        async def give_back(conn: asyncpg.Connection) -> None:
            await rt.pool.release(conn)
            free.release()

        async def finish(conn: asyncpg.Connection, tx: Transaction, due: list) -> None:
            try:
                await handlers.deliver(conn, due, rt.clock, send=channels.send,
                                       seal_key=s.seal_key, policies=per_channel)
                await tx.commit()
            except BaseException:
                await _quietly_rolled_back(tx)
                raise
            finally:
                await give_back(conn)

        async def step() -> bool:
            await free.acquire()
            try:
                conn = await rt.pool.acquire()
            except BaseException:
                free.release()
                raise
            tx = conn.transaction()
            try:
                await tx.start()
                # Not waiting for the disk at commit: a commit a crash loses leaves the rows
                # claimable, so they are sent again with the same notification id (the
                # provider's reference), the at-least-once any crash mid-send gives.
                await conn.execute("SET LOCAL synchronous_commit = off")
                due = await handlers.claim_due(conn, DELIVER, rt.clock)
                if not due:
                    await tx.commit()
            except BaseException:
                await _quietly_rolled_back(tx)
                await give_back(conn)
                raise
            if not due:
                await give_back(conn)
                return False
            task = asyncio.create_task(finish(conn, tx, due), name="dispatcher-batch")
            in_flight.add(task)
            task.add_done_callback(_settled(in_flight))
            return len(due) == DELIVER.batch

        # Push retries start at a second (scaled); the sweep must not be the slower of the two.
        sweep = min(1.0, POLICIES[Channel.PUSH].base.total_seconds() * s.retry_time_scale)
        loop = WakeableLoop(s.database_url.get_secret_value(), "notifications", step,
                            sweep_seconds=sweep, name="dispatcher")
        try:
            await loop.run()
        finally:
            await loop.close()
            for task in in_flight:
                task.cancel()  # rolled back: those rows are claimed again (at least once)
            await asyncio.gather(*in_flight, return_exceptions=True)
            await channels.close()


async def _quietly_rolled_back(tx: Transaction) -> None:
    with contextlib.suppress(Exception):
        await tx.rollback()


def _settled(in_flight: set[asyncio.Task]) -> Callable[[asyncio.Task], None]:
    """Forget a finished batch; a failed one is logged (its rows are claimed again later)."""

    def done(task: asyncio.Task) -> None:
        in_flight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("delivery batch failed; its rows are retried", exc_info=task.exception())

    return done
