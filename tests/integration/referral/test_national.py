"""The national registry on a real PostgreSQL: `seed --national` loads about 27,000 facilities
with their catalogues, and the nearest-facility search over them is what a brute-force
haversine over every facility says, through the GiST index on the point (timings: the bench)."""

from __future__ import annotations

import random
import time

import pytest

from common.db import create_pool
from services.referral.domain.geo import haversine_km
from services.referral.seed import seed
from services.referral.store import facilities as store
from synthetic.national import FKTP_TOTAL, HOSPITAL_TOTAL
from tests.integration.referral.world import SEAL_KEY

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def national(fresh_db):
    dsn = await fresh_db("referral_national")
    started = time.perf_counter()
    changed, sessions, _ = await seed(dsn, SEAL_KEY, {}, national=True)
    seconds = time.perf_counter() - started
    print(f"national seed: {changed} facilities, {sessions} sessions in {seconds:.1f} s")
    pool = await create_pool(dsn, 4)
    await pool.execute("ANALYZE")
    yield pool, changed
    await pool.close()


async def test_the_registry_has_the_programmes_size_with_catalogues(national):
    pool, changed = national
    assert changed == FKTP_TOTAL + HOSPITAL_TOTAL
    counts = await pool.fetchrow(
        "SELECT count(*) FILTER (WHERE facility_type = 'fktp') AS fktp,"
        " count(*) FILTER (WHERE facility_type = 'fkrtl') AS hospitals FROM facilities"
    )
    assert (counts["fktp"], counts["hospitals"]) == (FKTP_TOTAL, HOSPITAL_TOTAL)
    assert (
        await pool.fetchval(
            "SELECT count(*) FROM facilities f WHERE NOT EXISTS"
            " (SELECT 1 FROM facility_polis p WHERE p.facility_code = f.code)"
        )
        == 0
    )


async def test_nearest_is_exact_and_fast_at_national_size(national):
    pool, _ = national
    everything = await pool.fetch("SELECT code, lat, lon, facility_type FROM facilities")
    rng = random.Random(18)
    timings = []
    for _ in range(200):
        anchor = rng.choice(everything)
        lat, lon = (
            anchor["lat"] + rng.uniform(-0.05, 0.05),
            anchor["lon"] + rng.uniform(-0.05, 0.05),
        )
        radius = rng.choice((2.0, 5.0, 10.0, 25.0))
        started = time.perf_counter()
        rows = await store.nearby(pool, lat=lat, lon=lon, radius_km=radius, limit=200)
        timings.append(time.perf_counter() - started)
        expected = sorted(
            (round(haversine_km(lat, lon, f["lat"], f["lon"]), 9), f["code"])
            for f in everything
            if haversine_km(lat, lon, f["lat"], f["lon"]) <= radius
        )[:200]
        assert [r["code"] for r in rows] == [code for _, code in expected]
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(
        f"nearest over {len(everything)}: p50 {timings[100] * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"
    )
    # Central Jakarta, the densest part of the registry.
    plan = "\n".join(
        r[0]
        for r in await pool.fetch(
            "EXPLAIN ANALYZE " + store.NEARBY_SQL, *store.nearby_args(-6.2, 106.85, 5.0, None, 50)
        )
    )
    print(plan)
    assert "facilities_point_idx" in plan
