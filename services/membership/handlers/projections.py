"""Billing's facts about a family, kept where /v1/me and every eligibility answer read them.
One handler per consumed event type; each runs in the consumer's dedup transaction and takes
(conn, envelope, event, now)."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts import Envelope, events
from services.membership.domain.enrolment import stored_coverage
from services.membership.store import projections


async def record_coverage(conn: asyncpg.Connection, env: Envelope,
                          e: events.CoverageStatusChanged, now: datetime) -> None:
    """Coverage follows payment: billing decides it, membership shows it ('non_active' is
    stored as 'inactive'); a redelivered or late older event changes nothing."""
    await projections.set_coverage(conn, e.member_ids, stored_coverage(e.status),
                                   env.occurred_at)


async def record_virtual_account(conn: asyncpg.Connection, env: Envelope,
                                 e: events.VirtualAccountOpened, now: datetime) -> None:
    """The family's virtual accounts, shown on /v1/me."""
    await projections.upsert_virtual_account(conn, e.family_id, e.va, e.va_mandiri,
                                             env.occurred_at)
