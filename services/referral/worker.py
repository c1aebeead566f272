"""Referral's worker: (topic, event type) -> handler, and the referral expiry scheduler.

Each event handler runs in the consumer's dedup transaction and gets the service clock's `now`
at call time (tests move the clock).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime

from common.consumer import ConsumerSpec, group_specs, with_clock
from common.runtime import Runtime
from contracts import events, topics
from services.referral.handlers import EVENT_HANDLERS, referrals

log = logging.getLogger(__name__)

Now = Callable[[], datetime]
EventHandler = Callable[..., Awaitable[None]]  # (conn, env, e, now)

# Consumer group "referral": the eligibility projection and ended sessions.
ROUTES: dict[tuple[str, str], EventHandler] = {
    **{
        (topics.MEMBERSHIP, t): EVENT_HANDLERS[t]
        for t in (
            events.FamilyEnrolled.type,
            events.MemberAdded.type,
            events.ClassChanged.type,
            events.FaskesChanged.type,
            events.SessionEnded.type,
        )
    },
    **{
        (topics.BILLING, t): EVENT_HANDLERS[t]
        for t in (events.CoverageStatusChanged.type, events.PremiumArrearsChanged.type)
    },
}


def consumers(now: Now) -> list[ConsumerSpec]:
    """The consumer group; `now` is the service's clock."""
    return group_specs("referral", {k: with_clock(h, now) for k, h in ROUTES.items()})


async def expiry_scheduler(rt: Runtime) -> None:
    """Announce each referral's expiry on its day (a ServiceDefinition task).

    It keeps nothing in memory: referrals.expired_published_at says what was announced, so
    after a restart (or with two workers) each expiry is still published exactly once.
    """
    while True:
        try:
            await referrals.expire_due(rt.pool, now=rt.clock.now())
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("referral expiry step failed; will retry", exc_info=True)
        await asyncio.sleep(rt.settings.expiry_interval_seconds)
