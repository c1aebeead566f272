"""Referral's use cases on a real PostgreSQL, each test in a transaction that rolls back."""

from __future__ import annotations

import dataclasses

import pytest

from common.clock import SystemClock
from common.errors import NotFound
from contracts import topics
from services.referral.domain.facilities import (
    Facility,
    FindFaskesNearby,
    GetFaskes,
    RegisterFacility,
)
from services.referral.domain.geo import haversine_km
from services.referral.handlers import facilities as handlers

pytestmark = pytest.mark.integration
SERVICE = "referral"
CENTRE = (-5.43, 105.26)
CLOCK = SystemClock()


def facility(code: str, north_deg: float = 0.0, **changes) -> Facility:
    base = Facility(code=code, facility_type="fktp", kind="puskesmas", name=f"Puskesmas {code}",
                    address="Jl. Uji 1", regency="Kota Uji", district="999999",
                    lat=CENTRE[0] + north_deg, lon=CENTRE[1], capacity=100,
                    accepts_new_members=True, active=True)
    return dataclasses.replace(base, **changes)


async def register(conn, f: Facility) -> bool:
    return await handlers.register_facility(conn, RegisterFacility(f, "corr-1"), CLOCK)


async def announced(conn) -> list[tuple[str, dict]]:
    rows = await conn.fetch("SELECT topic, envelope FROM outbox ORDER BY id")
    return [(r["topic"], r["envelope"]) for r in rows]


async def test_a_new_facility_is_stored_and_announced_in_the_same_transaction(uow):
    f = facility("U1")
    assert await register(uow, f) is True
    [(topic, env)] = await announced(uow)
    assert topic == topics.REFERRAL
    assert env["type"] == "FacilityRegistered" and env["key"] == "U1"
    assert env["correlation_id"] == "corr-1"
    assert env["payload"] == dataclasses.asdict(f)
    got = await handlers.get_facility(uow, GetFaskes("U1"))
    assert got["name"] == "Puskesmas U1" and got["active"] is True


async def test_an_unchanged_facility_is_neither_rewritten_nor_announced_again(uow):
    await register(uow, facility("U2"))
    assert await register(uow, facility("U2")) is False
    assert len(await announced(uow)) == 1
    assert await register(uow, facility("U2", name="Puskesmas Baru")) is True
    envs = [env for _, env in await announced(uow)]
    assert [e["payload"]["name"] for e in envs] == ["Puskesmas U2", "Puskesmas Baru"]
    assert (await handlers.get_facility(uow, GetFaskes("U2")))["name"] == "Puskesmas Baru"


async def test_the_search_offers_active_facilities_nearest_first_with_rounded_distances(uow):
    await register(uow, facility("FAR", north_deg=0.02))
    await register(uow, facility("NEAR", north_deg=0.005))
    await register(uow, facility("GONE", north_deg=0.001, active=False))
    await register(uow, facility("RS", north_deg=0.003, facility_type="fkrtl", kind="rs_umum"))
    rows = await handlers.find_nearby(uow, FindFaskesNearby(*CENTRE, radius_km=5))
    assert [r["code"] for r in rows] == ["RS", "NEAR", "FAR"]
    far = haversine_km(*CENTRE, CENTRE[0] + 0.02, CENTRE[1])
    assert rows[2]["distance_km"] == round(far, 2) != far
    only_fktp = await handlers.find_nearby(uow, FindFaskesNearby(*CENTRE, facility_type="fktp",
                                                                 limit=1))
    assert [r["code"] for r in only_fktp] == ["NEAR"]


async def test_a_facility_that_left_is_found_by_code_and_an_unknown_code_is_not_found(uow):
    await register(uow, facility("LEFT", active=False))
    assert (await handlers.get_facility(uow, GetFaskes("LEFT")))["active"] is False
    with pytest.raises(NotFound) as caught:
        await handlers.get_facility(uow, GetFaskes("NOPE"))
    assert caught.value.code == "faskes_not_found"

