"""Membership's consumers: (event type) -> handler, each in the dedup transaction."""

from __future__ import annotations

import asyncpg

from common.consumer import ConsumerSpec
from contracts import Envelope, events, topics
from services.membership import deciders, store


async def on_facility_registered(
    conn: asyncpg.Connection, env: Envelope, event: events.FacilityRegistered
) -> None:
    """Keep membership's own facility projection; it never asks referral to decide."""
    await store.upsert_facility(conn, {**event.model_dump(), "facility_type": event.facility_type})


def consumers(now: deciders.Now) -> list[ConsumerSpec]:
    """The consumer groups; `now` is the service's clock (tests move it)."""
    return [
        ConsumerSpec(
            group="membership",
            topics=[topics.REFERRAL, topics.BILLING],
            handlers={
                events.FacilityRegistered.type: on_facility_registered,
                events.PremiumArrearsChanged.type: deciders.on_arrears,
            },
        ),
        # Membership decides its own submitted requests: the submit answers 202 at once.
        ConsumerSpec(
            group="membership-decisions",
            topics=[topics.MEMBERSHIP],
            handlers={
                events.FaskesChangeRequested.type: deciders.decide_faskes(now),
                events.ClassChangeRequested.type: deciders.decide_class(now),
                events.FamilyMemberRequested.type: deciders.decide_family_member(now),
                events.IdentityCorrectionRequested.type: deciders.route_identity(now),
            },
        ),
    ]
