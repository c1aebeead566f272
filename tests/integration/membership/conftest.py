"""Membership's handlers on a real, freshly migrated PostgreSQL (no broker needed: events
land in the outbox, which is what a handler promises)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import itertools
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from common import problems
from common.clock import ShiftedClock
from common.db import create_pool, migrate
from common.invalidated_cache import InvalidatedCache
from common.sealing import new_key, unseal
from services.membership import api, tokens
from services.membership.api.card_hot_path import CardHotPath
from services.membership.service import CARD_CHANNEL
from synthetic.population import Person, population

MIGRATIONS = Path("services/membership/migrations")
PEPPER = SecretStr("test-pepper")
SEAL_KEY = SecretStr(new_key())
JWT_SECRET = SecretStr("test-jwt-secret-of-some-length-0123456789")
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB
PEOPLE = [p for p in population(400) if p.coverage == "active"]
# The in-process route tests commit, so each takes a participant no other test uses
# (the rolled-back handler tests use the first few). Their modules sort after test_handlers
# (test_idempotency, test_routes_*): the handler tests read the outbox by event type and must
# not see what these committed.
_people = itertools.count(100)


def next_person() -> Person:
    return PEOPLE[next(_people)]


@pytest.fixture(scope="session")
async def membership_pool(fresh_db):
    dsn = await fresh_db("membership_handlers")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 10)
    yield pool
    await pool.close()


@contextlib.asynccontextmanager
async def in_process_client(pool, clock: ShiftedClock, cards: InvalidatedCache | None = None,
                            **settings) -> AsyncIterator[httpx.AsyncClient]:
    """Membership's routes in-process (httpx on the ASGI app) over the real PostgreSQL, with
    GET /v1/me's card cache when `cards` is given (as an API process runs)."""

    app = FastAPI()
    problems.install(app)
    if cards:
        app.add_middleware(CardHotPath)
    for router in api.ROUTERS:
        app.include_router(router)
    s = SimpleNamespace(jwt_secret=JWT_SECRET, code_pepper=PEPPER, seal_key=SEAL_KEY,
                        refresh_reuse_grace_seconds=30.0, revocation_refresh_seconds=0.5,
                        nik_digest_key=None)
    s.__dict__.update(settings)
    app.state.runtime = SimpleNamespace(pool=pool, settings=s, clock=clock,
                                        extras={"cards": cards} if cards else {})
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://membership") as c:
        yield c


@pytest.fixture(scope="session")
async def committing_pool(fresh_db):
    """A database of its own for tests that commit through the routes (their outbox rows and
    ledgers must not show up in the rolled-back handler tests' database)."""
    dsn = await fresh_db("membership_routes")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 10)
    yield pool
    await pool.close()


async def insert_person(conn, p: Person, **changes) -> Person:
    """Put one synthetic participant into the programme's records."""
    p = dataclasses.replace(p, **changes)
    row = dataclasses.asdict(p)
    row["member_id"] = uuid.UUID(row["member_id"])
    cols = list(row)
    await conn.execute(
        f"INSERT INTO participants ({', '.join(cols)}) VALUES"
        f" ({', '.join(f'${i + 1}' for i in range(len(cols)))})", *row.values())
    return p


async def new_member(pool, p: Person | None = None, password: str = "rahasia2024"):
    """A participant (the next unused one by default) with an account (phone login); returns
    (person, Authorization header)."""

    p = p or next_person()
    async with pool.acquire() as conn:
        await insert_person(conn, p)
        account_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO accounts (account_id, member_id, phone, password_hash)"
            " VALUES ($1, $2, $3, $4)", account_id, uuid.UUID(p.member_id),
            "+62812" + p.card_number[-8:], tokens.hash_password(password))
    claims = tokens.AccessClaims(account_id, uuid.UUID(p.member_id))
    token = tokens.issue_access(JWT_SECRET, claims, datetime.now(UTC))
    return p, {"Authorization": f"Bearer {token}"}


async def insert_staff(conn, username: str, role: str = "officer",
                       branch: str | None = "bandar-lampung",
                       full_name: str = "Petugas Cabang") -> None:
    """A staff account (its password is never used: tests issue its token directly)."""
    await conn.execute(
        "INSERT INTO staff (staff_id, username, full_name, role, branch, password_hash)"
        " VALUES ($1, $2, $3, $4, $5, 'unused') ON CONFLICT (username) DO NOTHING",
        uuid.uuid4(), username, full_name, role, branch)


async def insert_civil_family(conn, family: list[Person]) -> None:
    """Put a family on the civil registry (the KK a new PBPU family registers from)."""
    await conn.executemany(
        "INSERT INTO civil_registry (nik, kk_number, full_name, birth_date, sex,"
        " relationship, district_code) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [(m.nik, m.family_id, m.full_name, m.birth_date, m.sex, m.relationship,
          m.district_code) for m in family])


async def insert_facility(conn, code: str, **kw) -> None:
    f = {"code": code, "facility_type": "fktp", "kind": "puskesmas", "name": f"Faskes {code}",
         "district": "999999", "accepts_new_members": True, "active": True, **kw}
    await conn.execute(
        "INSERT INTO facilities (code, facility_type, kind, name, district,"
        " accepts_new_members, active) VALUES ($1, $2, $3, $4, $5, $6, $7)", *f.values())


async def staged(conn, event_type: str) -> list[dict]:
    """Envelopes of `event_type` in the outbox, as this connection sees it (oldest first)."""
    rows = await conn.fetch("SELECT envelope FROM outbox WHERE envelope->>'type' = $1 ORDER BY id",
                            event_type)
    return [r["envelope"] if isinstance(r["envelope"], dict) else json.loads(r["envelope"])
            for r in rows]


def sealed_code(envelope: dict) -> str:
    """The code notify would send (the event carries it sealed)."""
    return unseal(SEAL_KEY, envelope["payload"]["code_sealed"])


def months_before(d: date, months: int) -> date:
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    return date(y, m + 1, 1)


# The in-process app's clock: a test may move it (a resend cooldown) and must put it back.
CLOCK = ShiftedClock()


@pytest.fixture(scope="module")
async def client(membership_pool):
    async with in_process_client(membership_pool, CLOCK) as c:
        yield c


@pytest.fixture
async def member(membership_pool):
    return await new_member(membership_pool)


@pytest.fixture
async def own_clock() -> ShiftedClock:
    """A clock of this test's own, which it may move freely."""
    return ShiftedClock()


@pytest.fixture
async def card_cache(fresh_db) -> AsyncIterator[InvalidatedCache]:
    """GET /v1/me's card cache on the committing database, listening."""
    cards = InvalidatedCache(await fresh_db("membership_routes"), CARD_CHANNEL,
                             max_entries=1000, ttl_seconds=60)
    task = asyncio.create_task(cards.run())
    await asyncio.wait_for(cards.connected.wait(), 10)
    yield cards
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


@pytest.fixture
async def committing_client(committing_pool, own_clock, card_cache):
    """The routes in-process on the committing database, with the test's own clock and the card
    cache, so every test that commits also proves the card follows its change."""
    async with in_process_client(committing_pool, own_clock, card_cache) as c:
        yield c
