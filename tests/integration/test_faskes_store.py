"""The facility search SQL on a real, freshly migrated PostgreSQL."""

from __future__ import annotations

import itertools
import math
import random
import uuid
from pathlib import Path

import pytest

from common.db import create_pool, migrate
from services.referral.domain.geo import EARTH_RADIUS_KM, haversine_km
from services.referral.store import facilities as store

pytestmark = pytest.mark.integration

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
# Each test searches around its own centre, 8° of latitude from the others, so no test sees
# another's facilities; the longitude is random per run.
_CENTRES = ((-40.0 + 8 * i, random.uniform(-170, 170)) for i in itertools.count())


@pytest.fixture(scope="module")
async def pool(fresh_db):
    dsn = await fresh_db("referral_geo")
    await migrate(dsn, Path("services/referral/migrations"))
    pool = await create_pool(dsn, 4)
    yield pool
    await pool.close()


@pytest.fixture
def centre() -> tuple[float, float]:
    return next(_CENTRES)


def offset(centre: tuple[float, float], north_km: float, east_km: float) -> tuple[float, float]:
    """A point roughly north_km north and east_km east of centre (exact distance computed)."""
    lat, lon = centre
    lat2 = lat + north_km / KM_PER_DEGREE
    lon2 = lon + east_km / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return lat2, (lon2 + 540) % 360 - 180


async def place(
    pool, at: tuple[float, float], facility_type: str = "fktp", active: bool = True
) -> str:
    code = "T" + uuid.uuid4().hex[:12]
    await pool.execute(
        "INSERT INTO facilities (code, facility_type, kind, name, address, regency, district,"
        " lat, lon, capacity, accepts_new_members, active)"
        " VALUES ($1, $2, $3, $4, 'Jl. Uji', 'Kota Uji', '999999', $5, $6, 100, true, $7)",
        code,
        facility_type,
        "puskesmas" if facility_type == "fktp" else "rs_umum",
        f"Faskes {code}",
        *at,
        active,
    )
    return code


async def test_nearest_first_with_exact_haversine_distances(pool, centre):
    # Placed out of order; offsets in km (north, east).
    offsets = [(3.0, 0.0), (0.0, 0.5), (-1.2, -1.6), (0.0, -4.9), (2.0, 2.0)]
    spots = [offset(centre, n, e) for n, e in offsets]
    codes = [await place(pool, at) for at in spots]
    rows = await store.nearby(pool, lat=centre[0], lon=centre[1], radius_km=5)
    expected = sorted(zip((haversine_km(*centre, *at) for at in spots), codes, strict=True))
    assert [r["code"] for r in rows] == [c for _, c in expected]
    assert [r["distance_km"] for r in rows] == pytest.approx([d for d, _ in expected], abs=1e-9)
    assert rows[0]["distance_km"] == pytest.approx(0.5, abs=2e-3)  # the one 500 m east
    assert rows[1]["distance_km"] == pytest.approx(2.0, abs=2e-3)  # the 1.2-1.6-2 triangle


async def test_radius_cuts_the_circle_not_the_box(pool, centre):
    inside = await place(pool, offset(centre, 0.0, 2.9))
    # In the box's corner (2.5 km north and east: 3.54 km away) but outside a 3 km circle.
    corner = await place(pool, offset(centre, 2.5, 2.5))
    outside = await place(pool, offset(centre, -3.1, 0.0))
    got = [r["code"] for r in await store.nearby(pool, lat=centre[0], lon=centre[1], radius_km=3)]
    assert got == [inside]
    wider = await store.nearby(pool, lat=centre[0], lon=centre[1], radius_km=4)
    assert [r["code"] for r in wider] == [inside, outside, corner]


async def test_type_filter_and_limit(pool, centre):
    near_fktp = await place(pool, offset(centre, 0.1, 0.0), "fktp")
    near_rs = await place(pool, offset(centre, 0.2, 0.0), "fkrtl")
    far_fktp = await place(pool, offset(centre, 0.3, 0.0), "fktp")
    far_rs = await place(pool, offset(centre, 0.4, 0.0), "fkrtl")
    lat, lon = centre

    async def codes(**kw) -> list[str]:
        return [r["code"] for r in await store.nearby(pool, lat=lat, lon=lon, radius_km=1, **kw)]

    assert await codes(facility_type="fkrtl") == [near_rs, far_rs]
    assert await codes(facility_type="fktp") == [near_fktp, far_fktp]
    assert await codes() == [near_fktp, near_rs, far_fktp, far_rs]
    assert await codes(limit=2) == [near_fktp, near_rs]
    assert await codes(facility_type="fkrtl", limit=1) == [near_rs]


async def test_inactive_facilities_are_not_offered_but_can_be_looked_up(pool, centre):
    gone = await place(pool, offset(centre, 0.0, 0.1), active=False)
    open_ = await place(pool, offset(centre, 0.0, 0.2))
    rows = await store.nearby(pool, lat=centre[0], lon=centre[1], radius_km=1)
    assert [r["code"] for r in rows] == [open_]
    row = await store.facility(pool, gone)
    assert row["code"] == gone and row["active"] is False
    assert await store.facility(pool, "T-no-such-code") is None


async def test_across_the_antimeridian(pool):
    east, west = (40.5, 179.98), (40.5, -179.97)  # 4.2 km apart, longitudes 359.95° apart
    west_code = await place(pool, west)
    east_code = await place(pool, east)
    rows = await store.nearby(pool, lat=east[0], lon=east[1], radius_km=10)
    assert [r["code"] for r in rows] == [east_code, west_code]
    assert rows[1]["distance_km"] == pytest.approx(haversine_km(*east, *west), abs=1e-9)


async def test_across_the_pole(pool):
    here, far_side = (89.98, 10.0), (89.97, -170.0)  # 5.6 km apart over the pole
    code = await place(pool, far_side)
    rows = await store.nearby(pool, lat=here[0], lon=here[1], radius_km=6)
    assert [r["code"] for r in rows] == [code]
    assert rows[0]["distance_km"] == pytest.approx(haversine_km(*here, *far_side), abs=1e-9)


async def test_the_search_can_use_the_location_index(pool):
    args = store.nearby_args(-5.43, 105.26, 5, None, 50)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")  # a tiny table is cheaper to scan
        plan = await conn.fetchval(f"EXPLAIN (FORMAT JSON) {store.NEARBY_SQL}", *args)
    assert "facilities_point_idx" in str(plan)
