"""Referral's use cases: one async function per command, query and consumed event.

Each takes a connection (the caller's unit of work) and what it needs by keyword; domain
errors, no HTTP, no SQL (that is store/). EVENT_HANDLERS is the whole map of consumed events;
worker.ROUTES says which topic each comes from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from contracts import events
from services.referral.handlers import eligibility, sessions

# Each takes (conn, env, e, now).
EVENT_HANDLERS: dict[str, Callable[..., Awaitable[None]]] = {
    events.FamilyEnrolled.type: eligibility.family_enrolled,
    events.MemberAdded.type: eligibility.member_added,
    events.ClassChanged.type: eligibility.class_changed,
    events.FaskesChanged.type: eligibility.faskes_changed,
    events.CoverageStatusChanged.type: eligibility.coverage_changed,
    events.PremiumArrearsChanged.type: eligibility.arrears_changed,
    events.SessionEnded.type: sessions.session_ended,
}
