"""Membership's worker: (topic, event type) -> handler, and the scheduler loop.

Each event handler runs in the consumer's dedup transaction and gets the service clock's
`now` at call time (tests move the clock).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from common.consumer import ConsumerSpec, Handler
from common.runtime import Runtime
from contracts import events, topics
from services.membership.handlers import EVENT_HANDLERS, scheduling

log = logging.getLogger(__name__)
Now = Callable[[], datetime]

# group -> (topics it reads, event types it handles there).
ROUTES: dict[str, tuple[list[str], list[str]]] = {
    "membership": ([topics.REFERRAL, topics.BILLING],
                   [events.FacilityRegistered.type, events.PremiumArrearsChanged.type,
                    events.CoverageStatusChanged.type, events.VirtualAccountOpened.type]),
    # Membership decides its own submitted requests: the submit answers 202 at once.
    "membership-decisions": ([topics.MEMBERSHIP],
                             [events.FaskesChangeRequested.type, events.ClassChangeRequested.type,
                              events.FamilyMemberRequested.type,
                              events.IdentityCorrectionRequested.type]),
}


def _with_clock(handler, now: Now) -> Handler:
    async def handle(conn, env, event) -> None:
        await handler(conn, env, event, now())
    handle.__name__ = handler.__name__
    return handle


def consumers(now: Now) -> list[ConsumerSpec]:
    """The consumer groups; `now` is the service's clock."""
    return [ConsumerSpec(group=group, topics=list(read),
                         handlers={t: _with_clock(EVENT_HANDLERS[t], now) for t in types})
            for group, (read, types) in ROUTES.items()]


async def scheduler(rt: Runtime) -> None:
    """Apply due requests every `scheduler_interval_seconds` (a ServiceDefinition task)."""
    while True:
        try:
            while True:
                async with rt.pool.acquire() as conn, conn.transaction():
                    applied = await scheduling.apply_due(conn, now=rt.clock.now())
                if applied < scheduling.BATCH:
                    break
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("applying due requests failed; will retry", exc_info=True)
        await asyncio.sleep(rt.settings.scheduler_interval_seconds)
