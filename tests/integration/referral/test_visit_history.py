"""GET /v1/me/visits on the real PostgreSQL: the member's recorded visits, latest first, with
the facility and poli by name; nobody else's."""

from __future__ import annotations

from datetime import date

import pytest

from tests.integration.referral.queueing import (
    in_process_client,
    make_facility,
    make_member,
    make_referral,
    token,
)

pytestmark = pytest.mark.integration


async def _visit(pool, number: str, member_id, clinic, on: date, referral: str | None = None):
    await pool.execute(
        "INSERT INTO visits (number, member_id, facility_code, poli_code, visited_on,"
        " referral_number, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, now())",
        number, member_id, clinic.code, clinic.poli, on, referral)


async def test_a_member_sees_their_visits_latest_first(queue_pool):
    fktp = await make_facility(queue_pool)
    hospital = await make_facility(queue_pool, "fkrtl", "INT")
    member, card = await make_member(queue_pool, fktp.code)
    other, _ = await make_member(queue_pool, fktp.code)
    referral = await make_referral(queue_pool, member, card, fktp.code, hospital)
    await _visit(queue_pool, f"{fktp.code}1126V000001", member, fktp, date(2026, 11, 3))
    await _visit(queue_pool, f"{hospital.code}1126V000001", member, hospital, date(2026, 11, 20),
                 referral)
    await _visit(queue_pool, f"{fktp.code}1126V000002", other, fktp, date(2026, 11, 25))
    async with in_process_client(queue_pool) as c:
        r = await c.get("/v1/me/visits", headers=token(member))
        unauthenticated = await c.get("/v1/me/visits")
    assert r.status_code == 200 and r.json()["count"] == 2
    latest, first = r.json()["items"]
    assert (latest["facility_code"], latest["poli_name"], latest["referral_number"]) == (
        hospital.code, "Penyakit Dalam", referral)
    assert latest["facility_type"] == "fkrtl" and latest["visited_on"] == "2026-11-20"
    assert first["poli_name"] == "Poli Umum" and first["referral_number"] is None
    assert unauthenticated.status_code == 401
