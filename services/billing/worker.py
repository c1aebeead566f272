"""Billing's worker: (topic, event type) -> handler, and the scheduler loop.

Each event handler runs in the consumer's dedup transaction and gets the service clock's
`now` at call time (tests move the clock).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from common.consumer import ConsumerSpec, group_specs, with_clock
from common.runtime import Runtime
from contracts import events, topics
from services.billing.handlers import EVENT_HANDLERS, bill_run, coverage, reminders

log = logging.getLogger(__name__)
Now = Callable[[], datetime]
EventHandler = Callable[..., Awaitable[None]]  # (conn, env, e, now)

# Consumer group "billing": (topic, event type) -> handler.
ROUTES: dict[tuple[str, str], EventHandler] = {
    (topics.MEMBERSHIP, t): EVENT_HANDLERS[t] for t in (
        events.FamilyEnrolled.type, events.MemberAdded.type, events.ClassChanged.type,
        events.FaskesChanged.type, events.SessionEnded.type, events.StaffDisabled.type)
}


def consumers(now: Now) -> list[ConsumerSpec]:
    """The consumer group; `now` is the service's clock."""
    return group_specs("billing", {k: with_clock(h, now) for k, h in ROUTES.items()})


async def _remind_all(rt: Runtime, now: datetime) -> None:
    while True:
        async with rt.pool.acquire() as conn, conn.transaction():
            if await reminders.remind(conn, now=now) == 0:
                return


async def scheduler(rt: Runtime) -> None:
    """The month's bill run, reminders, and the coverage sweep (a ServiceDefinition task).

    Nothing it needs is held in memory: bill_runs says whether the month is billed,
    bills.reminded_at who was reminded, and the sweep finds its payers from their bills.
    """
    last_sweep: float | None = None
    while True:
        try:
            now = rt.clock.now()
            await bill_run.run_if_due(rt.pool, now=now)
            await _remind_all(rt, now)
            interval = rt.settings.coverage_sweep_interval_seconds
            if last_sweep is None or time.monotonic() - last_sweep >= interval:
                await coverage.sweep(rt.pool, now=now)
                last_sweep = time.monotonic()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("billing scheduler step failed; will retry", exc_info=True)
        await asyncio.sleep(rt.settings.scheduler_interval_seconds)
