"""Referral's worker: (topic, event type) -> handler, and the referral expiry scheduler.

Each event handler runs in the consumer's dedup transaction and gets the service clock's `now`
at call time (tests move the clock).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from common.consumer import ConsumerSpec, group_specs, with_clock
from contracts import events, topics
from services.referral.handlers import EVENT_HANDLERS

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
