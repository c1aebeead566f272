"""What referral's integration tests share: facilities with polis, members projected through
the real event handlers, signed facility partners, member tokens, and referral's routes
in-process (httpx on the ASGI app) over the real PostgreSQL.

Route tests commit (partner calls run their own transactions), so every test makes its own
facilities, members and partners with random codes and reads back only its own rows.
"""

from __future__ import annotations

import contextlib
import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import SimpleNamespace

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from common import problems
from common.clock import Clock, SystemClock
from common.member_tokens import AccessClaims, issue_access
from common.nik_digest import nik_digest
from common.sealing import new_key
from contracts import events, wrap
from services.referral import api
from services.referral.domain.polis import POLIS
from services.referral.handlers import eligibility
from services.referral.handlers.partners import upsert_partner
from tests.integration.billing.paying import SignedPartner, digits

SEAL_KEY = SecretStr(new_key())
JWT_SECRET = SecretStr("test-jwt-secret-of-some-length-0123456789")
DIGEST_KEY = SecretStr("test-nik-digest-key-0123456789")
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB


def settings(**changes) -> SimpleNamespace:
    s = SimpleNamespace(
        seal_key=SEAL_KEY,
        jwt_secret=JWT_SECRET,
        nik_digest_key=DIGEST_KEY,
        revocation_refresh_seconds=0.0,
        partner_refresh_seconds=0.0,
    )
    s.__dict__.update(changes)
    return s


@contextlib.asynccontextmanager
async def in_process_client(pool, clock: Clock | None = None) -> AsyncIterator[httpx.AsyncClient]:
    """Referral's routes in-process over the real PostgreSQL."""
    app = FastAPI()
    problems.install(app)
    for router in api.ROUTERS:
        app.include_router(router)
    rt = app.state.runtime = SimpleNamespace(
        pool=pool, settings=settings(), clock=clock or SystemClock(), extras={}, closers=[]
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://referral"
        ) as c:
            yield c
    finally:
        for close in rt.closers:  # as the runtime's shutdown does: the read audit's last flush
            await close()


async def sync_polis(conn) -> None:
    """The programme's poli codes (domain/polis.py) in the polis table."""
    await conn.executemany(
        "INSERT INTO polis (code, name_id, name_en, level) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (code) DO NOTHING",
        [(p.code, p.name_id, p.name_en, p.level) for p in POLIS.values()],
    )


async def make_facility(
    conn, facility_type: str = "fktp", polis: tuple[str, ...] = (), active: bool = True
) -> str:
    """A facility with a random 8-character code (digits and capitals) and the given polis."""
    code = uuid.uuid4().hex[:8].upper()
    await sync_polis(conn)
    await conn.execute(
        "INSERT INTO facilities (code, facility_type, kind, name, address, regency, district,"
        " lat, lon, capacity, accepts_new_members, active)"
        " VALUES ($1, $2, $3, $4, 'Jl. Uji', 'Kota Uji', '999999', -5.4, 105.26, 100, true, $5)",
        code,
        facility_type,
        "puskesmas" if facility_type == "fktp" else "rs_umum",
        f"Faskes {code}",
        active,
    )
    await conn.executemany(
        "INSERT INTO facility_polis (facility_code, poli_code) VALUES ($1, $2)",
        [(code, p) for p in polis],
    )
    return code


@dataclass
class Member:
    member_id: uuid.UUID
    card_number: str
    nik: str
    family_id: str

    def token(self, sid: uuid.UUID | None = None) -> dict[str, str]:
        """The member's Authorization header (an access token as membership signs it)."""
        claims = AccessClaims(uuid.uuid4(), self.member_id, sid or uuid.uuid4())
        token = issue_access(JWT_SECRET, claims, datetime.now(UTC))
        return {"Authorization": f"Bearer {token}"}


def envelope(e: events.Event, occurred_at: datetime = NOW, producer: str = "membership"):
    return wrap(
        e,
        producer=producer,
        key=getattr(e, "family_id", "k"),
        correlation_id="test",
        occurred_at=occurred_at,
    )


async def enrol(
    conn,
    fktp_code: str,
    *,
    coverage: str = "active",
    arrears: int = 0,
    segment: str = "PBPU",
    care_class: int = 3,
    as_of: date = date(2026, 11, 1),
    occurred_at: datetime = NOW,
) -> Member:
    """One member projected through FamilyEnrolled, as membership announces a family."""
    m = Member(uuid.uuid4(), digits(13), digits(16), digits(16))
    e = events.FamilyEnrolled(
        family_id=m.family_id,
        head_member_id=m.member_id,
        head_card_number=m.card_number,
        head_name="Nama Kepala",
        members=[
            events.EnrolledMember(
                member_id=m.member_id,
                card_number=m.card_number,
                relationship="head",
                segment=segment,
                care_class=care_class,
                fktp_code=fktp_code,
                registered_on=date(2020, 5, 4),
                nik_digest=nik_digest(DIGEST_KEY, m.nik),
            )
        ],
        coverage=coverage,
        arrears_months=arrears,
        as_of=as_of,
    )
    await eligibility.family_enrolled(conn, envelope(e, occurred_at), e, NOW)
    return m


async def make_partner(pool, kind: str, facility_code: str) -> SignedPartner:
    partner = SignedPartner(kind[:1].upper() + digits(7), secrets.token_urlsafe(16))
    async with pool.acquire() as conn:
        await upsert_partner(
            conn,
            cons_id=partner.cons_id,
            kind=kind,
            facility_code=facility_code,
            secret=partner.secret,
            seal_key=SEAL_KEY,
            now=datetime.now(UTC),
        )
    return partner
