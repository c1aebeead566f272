"""The referral seed on a fresh database: Bandar Lampung's registry with each facility's polis,
doctors and weekly schedules, the demo partners, idempotent; GET /v1/faskes/{code} shows them."""

from __future__ import annotations

import pytest

from common.db import create_pool
from services.referral.seed import seed
from tests.integration.referral.world import SEAL_KEY, in_process_client

pytestmark = pytest.mark.integration
ENV = {"REFERRAL_DEMO_FKTP_SECRET": "fktp-secret", "BILLING_DEMO_FACILITY_SECRET": "rs-secret"}


async def test_the_seed_loads_the_registry_with_catalogues_and_partners_once(fresh_db):
    dsn = await fresh_db("referral_seed")
    changed, sessions, partners = await seed(dsn, SEAL_KEY, ENV)
    assert changed == 125 and sessions > 1000 and partners == ["2002", "2001"]
    assert await seed(dsn, SEAL_KEY, ENV) == (0, 0, ["2002", "2001"])
    pool = await create_pool(dsn, 2)
    try:
        kinds = await pool.fetch("SELECT cons_id, kind, facility_code FROM partners ORDER BY 1")
        assert [tuple(r) for r in kinds] == [
            ("2001", "hospital", "1871R001"),
            ("2002", "fktp", "18710003"),
        ]
        assert await pool.fetchval(
            "SELECT count(*) FROM facilities f WHERE NOT EXISTS"
            " (SELECT 1 FROM schedules s WHERE s.facility_code = f.code)"
        ) == 0
        async with in_process_client(pool) as c:
            body = (await c.get("/v1/faskes/18710003")).json()
        assert [p["poli_code"] for p in body["polis"]] == ["GIG", "KIA", "UMU"]
        umu = body["polis"][2]
        assert umu["name_id"] == "Poli Umum"
        assert {s["day_code"] for s in umu["schedules"]} == {1, 2, 3, 4, 5, 6}
        assert umu["schedules"][0]["hours"] == "08:00-12:00"
        assert umu["schedules"][0]["quota_jkn"] > umu["schedules"][0]["quota_non_jkn"] > 0
    finally:
        await pool.close()


