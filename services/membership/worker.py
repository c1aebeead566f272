"""Membership's consumers: (event type) -> handler. Each handler runs in the dedup transaction."""

from __future__ import annotations

import asyncpg

from common.consumer import ConsumerSpec
from contracts import Envelope, events, topics
from services.membership import store


async def on_facility_registered(
    conn: asyncpg.Connection, env: Envelope, event: events.FacilityRegistered
) -> None:
    """Keep membership's own facility projection; it never asks referral to decide."""
    await store.upsert_facility(conn, {**event.model_dump(), "facility_type": event.facility_type})


CONSUMERS = [
    ConsumerSpec(
        group="membership",
        topics=[topics.REFERRAL],
        handlers={events.FacilityRegistered.type: on_facility_registered},
    )
]
