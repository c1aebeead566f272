"""What the queue tests share: facilities with weekly sessions, members in the eligibility
projection, referrals, member tokens, and referral's routes in-process over the real database.

These tests commit (every booking route runs its own transaction), so each makes its own
facility, doctors and members with random codes and reads back only its own rows.
"""

from __future__ import annotations

import contextlib
import secrets
import time as clock
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import httpx
from pydantic import SecretStr

from common import bridging
from common.member_tokens import AccessClaims, issue_access
from common.sealing import new_key
from services.referral import api
from services.referral.domain.polis import POLIS
from services.referral.domain.schedules import local_date
from services.referral.handlers.partners import upsert_partner
from tests.integration.in_process import app_of, client_of

SEAL_KEY = SecretStr(new_key())
JWT_SECRET = SecretStr("test-jwt-secret-of-some-length-0123456789")
BOOKINGS = "/v1/me/queue-bookings"


def tomorrow() -> date:
    """A date every test session runs on (all seven day codes are scheduled)."""
    return local_date(datetime.now(UTC)) + timedelta(days=1)


def code8() -> str:
    return secrets.token_hex(4).upper()


def token(member_id: uuid.UUID, sid: uuid.UUID | None = None) -> dict[str, str]:
    claims = AccessClaims(uuid.uuid4(), member_id, sid)
    return {"Authorization": "Bearer " + issue_access(JWT_SECRET, claims, datetime.now(UTC))}


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


@dataclass
class Clinic:
    code: str
    facility_type: str
    poli: str
    doctors: list[str]


async def make_facility(pool, facility_type: str = "fktp", poli: str = "UMU", *,
                        quota_jkn: int = 20, quota_non_jkn: int = 5, doctors: int = 1,
                        hours: tuple[time, time] = (time(8), time(12)),
                        service_minutes: int = 10) -> Clinic:
    """A contracted facility with one poli and, per doctor, a session on every day code."""
    clinic = Clinic(code8(), facility_type, poli, [f"D{code8()}" for _ in range(doctors)])
    async with pool.acquire() as conn, conn.transaction():
        await conn.executemany(
            "INSERT INTO polis VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            [(p.code, p.name_id, p.name_en, p.level) for p in POLIS.values()])
        await conn.execute(
            "INSERT INTO facilities (code, facility_type, kind, name, address, regency, district,"
            " lat, lon, capacity, accepts_new_members, active) VALUES ($1, $2, 'uji', 'Faskes"
            " Uji', 'Jl. Uji', 'Kota Uji', '187101', -5.4, 105.2, 100, true, true)",
            clinic.code, facility_type)
        await conn.execute("INSERT INTO facility_polis VALUES ($1, $2)", clinic.code, poli)
        for i, doctor in enumerate(clinic.doctors):
            await conn.execute(
                "INSERT INTO doctors (doctor_id, facility_code, name) VALUES ($1, $2, $3)",
                doctor, clinic.code, f"dr. Uji {i}")
            await conn.executemany(
                "INSERT INTO schedules (facility_code, poli_code, doctor_id, day_code,"
                " start_time, end_time, quota_jkn, quota_non_jkn, service_minutes)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                [(clinic.code, poli, doctor, day, *hours, quota_jkn, quota_non_jkn,
                  service_minutes) for day in range(1, 8)])
    return clinic


async def make_member(pool, fktp_code: str, *, coverage: str = "active",
                      arrears: int = 0) -> tuple[uuid.UUID, str]:
    """A member in the eligibility projection: (member_id, card_number)."""
    member_id, card = uuid.uuid4(), "0" + "".join(secrets.choice("0123456789")
                                                 for _ in range(12))
    await pool.execute(
        "INSERT INTO members (member_id, card_number, family_id, segment, care_class,"
        " fktp_code, coverage, arrears_months) VALUES ($1, $2, $3, 'PBPU', 3, $4, $5, $6)",
        member_id, card, secrets.token_hex(8), fktp_code, coverage, arrears)
    return member_id, card


async def make_referral(pool, member_id: uuid.UUID, card: str, fktp: str, hospital: Clinic,
                        issued_on: date | None = None) -> str:
    """An FKTP referral of the member to the hospital's poli, issued today unless given."""
    issued_on = issued_on or local_date(datetime.now(UTC))
    seq = await pool.fetchval(
        "INSERT INTO document_sequences VALUES ($1, 'P', $2, 1) ON CONFLICT (facility_code,"
        " kind, month) DO UPDATE SET last_value = document_sequences.last_value + 1"
        " RETURNING last_value", fktp, issued_on.replace(day=1))
    number = f"{fktp}{issued_on:%m%y}P{seq:06d}"
    await pool.execute(
        "INSERT INTO referrals (number, member_id, card_number, from_facility, to_facility,"
        " poli_code, service_type, diagnosis, issued_on, valid_through, issued_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, '2', 'I10', $7::date, $7::date + 90, now())",
        number, member_id, card, fktp, hospital.code, hospital.poli, issued_on)
    return number


@dataclass
class SignedFacility:
    cons_id: str
    secret: str

    def headers(self) -> dict[str, str]:
        ts = str(int(clock.time()))
        return {"X-cons-id": self.cons_id, "X-timestamp": ts,
                "X-signature": bridging.signature(self.cons_id, ts, self.secret)}


async def make_partner(pool, clinic: Clinic) -> SignedFacility:
    """The facility's own signed partner (an FKTP or a hospital)."""
    partner = SignedFacility("F" + code8(), secrets.token_urlsafe(16))
    kind = "fktp" if clinic.facility_type == "fktp" else "hospital"
    async with pool.acquire() as conn:
        await upsert_partner(conn, cons_id=partner.cons_id, kind=kind,
                             facility_code=clinic.code, secret=partner.secret,
                             seal_key=SEAL_KEY, now=datetime.now(UTC))
    return partner


def booking(clinic: Clinic, on: date | None = None, **changes) -> dict:
    return {"facility_code": clinic.code, "poli_code": clinic.poli,
            "date": (on or tomorrow()).isoformat(), **changes}


@contextlib.asynccontextmanager
async def in_process_client(pool) -> AsyncIterator[httpx.AsyncClient]:
    """Referral's routes in-process over the real PostgreSQL, with the system clock."""
    app = app_of(api.ROUTERS, pool, seal_key=SEAL_KEY, jwt_secret=JWT_SECRET)
    async with client_of(app, "referral") as c:
        yield c
