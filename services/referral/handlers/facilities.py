"""Referral's use cases: find facilities, get one, register one. Domain errors, no HTTP, no SQL.

Each takes the connection it runs on (the caller owns the transaction) and what else it needs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Any

import asyncpg

from common import outbox
from common.clock import Clock
from common.errors import NotFound
from contracts import events, wrap
from services.referral.domain.facilities import (
    FindFaskesNearby,
    GetFaskes,
    RegisterFacility,
    shown_distance,
)
from services.referral.store import catalogue
from services.referral.store import facilities as store


async def find_nearby(conn: store.Executor, q: FindFaskesNearby) -> list[dict[str, Any]]:
    """The active facilities in the circle, nearest first, each with its `distance_km`."""
    rows = await store.nearby(
        conn,
        lat=q.lat,
        lon=q.lon,
        radius_km=q.radius_km,
        facility_type=q.facility_type,
        limit=q.limit,
    )
    return [{**dict(r), "distance_km": shown_distance(r["distance_km"])} for r in rows]


async def get_facility(conn: store.Executor, q: GetFaskes) -> dict[str, Any]:
    """One facility by code, whether or not it is still contracted, with its polis and each
    poli's weekly sessions."""
    row = await store.facility(conn, q.code)
    if row is None:
        raise NotFound(
            "faskes_not_found",
            f"No facility has code {q.code}.",
            f"Faskes dengan kode {q.code} tidak ditemukan.",
        )
    sessions: dict[str, list[dict[str, Any]]] = {}
    for s in await catalogue.schedules_of(conn, q.code):
        sessions.setdefault(s["poli_code"], []).append(
            {
                "doctor_id": s["doctor_id"],
                "doctor_name": s["doctor_name"],
                "day_code": s["day_code"],
                "hours": f"{s['start_time']:%H:%M}-{s['end_time']:%H:%M}",
                "quota_jkn": s["quota_jkn"],
                "quota_non_jkn": s["quota_non_jkn"],
                "service_minutes": s["service_minutes"],
            }
        )
    polis = [
        {**dict(p), "schedules": sessions.get(p["poli_code"], [])}
        for p in await catalogue.polis_of(conn, q.code)
    ]
    return {**dict(row), "polis": polis}


async def register_facility(conn: asyncpg.Connection, cmd: RegisterFacility, clock: Clock) -> bool:
    """Write the facility; if it changed, announce FacilityRegistered in the same transaction."""
    f = cmd.facility
    if not await store.upsert_facility(conn, f):
        return False
    event = events.FacilityRegistered(**asdict(f))
    env = wrap(
        event,
        producer="referral",
        key=f.code,
        correlation_id=cmd.correlation_id,
        occurred_at=clock.now(),
    )
    await outbox.add_event(conn, env, event)
    return True


QUERIES: dict[type, Callable[..., Awaitable[Any]]] = {
    FindFaskesNearby: find_nearby,
    GetFaskes: get_facility,
}
COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {
    RegisterFacility: register_facility,
}
# Referral consumes no events yet.
EVENT_HANDLERS: dict[str, Callable[..., Awaitable[None]]] = {}
