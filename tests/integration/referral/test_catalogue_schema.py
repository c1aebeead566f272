"""Migration 0003 on a real PostgreSQL: the catalogue's constraints hold what the domain says."""

from __future__ import annotations

import uuid
from datetime import time

import asyncpg
import pytest

from tests.integration.conftest import rolled_back

pytestmark = pytest.mark.integration


async def _facility(conn, facility_type: str = "fkrtl") -> str:
    code = uuid.uuid4().hex[:8].upper()
    await conn.execute(
        "INSERT INTO facilities (code, facility_type, kind, name, address, regency, district,"
        " lat, lon, capacity, accepts_new_members, active)"
        " VALUES ($1, $2, 'rs_umum', 'RS Uji', 'Jl. Uji', 'Kota Uji', '999999', -5.4, 105.2,"
        " 100, true, true)",
        code,
        facility_type,
    )
    return code


async def test_a_schedule_needs_a_poli_the_facility_has(referral_pool):
    async with rolled_back(referral_pool) as conn:
        code = await _facility(conn)
        await conn.execute(
            "INSERT INTO polis VALUES ('INT', 'Penyakit Dalam', 'Internal', 'fkrtl')"
        )
        await conn.execute(
            "INSERT INTO doctors (doctor_id, facility_code, name) VALUES ('D1', $1, 'dr. A')", code
        )
        with pytest.raises(asyncpg.ForeignKeyViolationError):
            await conn.execute(
                "INSERT INTO schedules (facility_code, poli_code, doctor_id, day_code, start_time,"
                " end_time, quota_jkn, quota_non_jkn, service_minutes)"
                " VALUES ($1, 'INT', 'D1', 1, '08:00', '12:00', 20, 5, 10)",
                code,
            )


async def test_the_day_code_and_hours_are_checked(referral_pool):
    async with rolled_back(referral_pool) as conn:
        code = await _facility(conn)
        await conn.execute(
            "INSERT INTO polis VALUES ('INT', 'Penyakit Dalam', 'Internal', 'fkrtl')"
        )
        await conn.execute("INSERT INTO facility_polis VALUES ($1, 'INT')", code)
        await conn.execute(
            "INSERT INTO doctors (doctor_id, facility_code, name) VALUES ('D1', $1, 'dr. A')", code
        )
        sql = (
            "INSERT INTO schedules (facility_code, poli_code, doctor_id, day_code, start_time,"
            " end_time, quota_jkn, quota_non_jkn, service_minutes)"
            " VALUES ($1, 'INT', 'D1', $2, $3, $4, 20, 5, 10)"
        )
        await conn.execute(sql, code, 8, time(8), time(12))
        for day, start, end in ((9, time(8), time(12)), (1, time(12), time(8))):
            with pytest.raises(asyncpg.CheckViolationError):
                async with conn.transaction():
                    await conn.execute(sql, code, day, start, end)


async def test_a_referral_to_the_facility_itself_is_refused_by_the_schema(referral_pool):
    async with rolled_back(referral_pool) as conn:
        code = await _facility(conn, "fktp")
        member = uuid.uuid4()
        await conn.execute(
            "INSERT INTO polis VALUES ('INT', 'Penyakit Dalam', 'Internal', 'fkrtl')"
        )
        await conn.execute(
            "INSERT INTO members (member_id, card_number, family_id, segment, care_class,"
            " fktp_code, coverage) VALUES ($1, '0001234567890', 'KK1', 'PBPU', 3, $2, 'active')",
            member,
            code,
        )
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO referrals (number, member_id, card_number, from_facility, to_facility,"
                " poli_code, service_type, diagnosis, issued_on, valid_through, issued_at)"
                " VALUES ($1, $2, '0001234567890', $3, $3, 'INT', '2', 'J06.9', '2026-12-01',"
                " '2027-03-01', now())",
                f"{code}1226P000001",
                member,
                code,
            )
