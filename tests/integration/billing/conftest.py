"""Billing's ledger on a real, freshly migrated PostgreSQL (and the real broker where a test
needs one): handler tests in a rolled-back transaction, bill-run tests on a database of their
own (a run commits chunk by chunk and bills every payer it finds); payment tests on a committing
database with the routes in-process (helpers in paying.py)."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from common.db import create_pool, migrate
from contracts import Envelope, events, wrap
from services.billing.domain.periods import WIB
from services.billing.handlers import enrolment
from services.membership.bulk_enrolment import payload
from synthetic.billing import family_billing
from synthetic.population import population
from tests.integration.billing.paying import in_process_client, make_partner

MIGRATIONS = Path("services/billing/migrations")
AS_OF = date(2026, 11, 1)
NOW = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)  # 10:00 WIB on the 1st


def at_wib(y: int, m: int, d: int, hour: int = 10) -> datetime:
    """A moment on the programme's clock (WIB)."""
    return datetime(y, m, d, hour, tzinfo=WIB)


def member(segment: str = "PBPU", care_class: int = 3, relationship: str = "head",
           registered_on: date = date(2020, 5, 4), **kw) -> dict:
    return {"member_id": str(uuid.uuid4()), "card_number": f"000{uuid.uuid4().int % 10**10:010d}",
            "relationship": relationship, "segment": segment, "care_class": care_class,
            "fktp_code": "18710001", "registered_on": registered_on.isoformat(), **kw}


def family(*members: dict, arrears: int = 0, coverage: str = "active",
           as_of: date = AS_OF) -> events.FamilyEnrolled:
    """A FamilyEnrolled with a fresh KK number; the first member is the head."""
    members = members or (member(),)
    head = members[0]
    return events.FamilyEnrolled(
        family_id=f"1871{uuid.uuid4().int % 10**12:012d}", head_member_id=head["member_id"],
        head_card_number=head["card_number"], head_name="Nama Kepala", members=list(members),
        coverage=coverage, arrears_months=arrears, as_of=as_of)


def envelope(e: events.Event, occurred_at: datetime = NOW) -> Envelope:
    return wrap(e, producer="membership", key=getattr(e, "family_id", "k"),
                correlation_id="test", occurred_at=occurred_at)


async def enrol(conn, e: events.FamilyEnrolled, now: datetime = NOW,
                occurred_at: datetime = NOW) -> None:
    await enrolment.enrol_family(conn, envelope(e, occurred_at), e, now)


def synthetic_families(participants: int) -> list[events.FamilyEnrolled]:
    """The synthetic register's families as membership's seed announces them."""
    out = []
    for _, people in itertools.groupby(population(participants), key=lambda p: p.family_id):
        people = list(people)
        out.append(events.FamilyEnrolled.model_validate(
            payload(people, family_billing(people), AS_OF)))
    return out


async def enrol_all(pool, families: list[events.FamilyEnrolled], batch: int = 500) -> None:
    for i in range(0, len(families), batch):
        async with pool.acquire() as conn, conn.transaction():
            for e in families[i:i + batch]:
                await enrol(conn, e)


async def staged(conn, event_type: str) -> list[dict]:
    """Payloads of `event_type` in the outbox as this connection sees it, oldest first."""
    rows = await conn.fetch("SELECT envelope FROM outbox WHERE envelope->>'type' = $1 ORDER BY id",
                            event_type)
    return [(r["envelope"] if isinstance(r["envelope"], dict) else json.loads(r["envelope"]))
            ["payload"] for r in rows]


async def ledger_facts(conn, period: str) -> dict:
    """What every bill run must leave behind, counted."""
    return dict(await conn.fetchrow(
        "SELECT (SELECT count(*) FROM bills WHERE period = $1) AS bills,"
        " (SELECT count(*) FROM (SELECT 1 FROM bills WHERE period = $1"
        "  GROUP BY payer_kind, payer_id HAVING count(*) > 1) d) AS doubled,"
        " (SELECT count(*) FROM bills b WHERE period = $1 AND amount <> (SELECT"
        "  coalesce(sum(amount), 0) FROM bill_lines l WHERE l.bill_id = b.bill_id)) AS off,"
        " (SELECT count(*) FROM outbox WHERE envelope->>'type' = 'BillIssued'"
        "  AND envelope->'payload'->>'period' = $1) AS issued,"
        " (SELECT count(DISTINCT envelope->'payload'->>'bill_id') FROM outbox"
        "  WHERE envelope->>'type' = 'BillIssued' AND envelope->'payload'->>'period' = $1)"
        "  AS issued_bills,"
        " (SELECT count(*) FROM (SELECT DISTINCT payer_kind, payer_id FROM members) p"
        "  WHERE NOT EXISTS (SELECT 1 FROM bills b WHERE b.payer_kind = p.payer_kind"
        "  AND b.payer_id = p.payer_id AND b.period = $1)) AS unbilled", period))


@pytest.fixture
async def own_db(fresh_db):
    """A billing database of this test's own: (dsn, pool)."""
    dsn = await fresh_db(f"billing_{uuid.uuid4().hex[:8]}")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 4)
    yield dsn, pool
    await pool.close()


@pytest.fixture(scope="session")
async def billing_pool(fresh_db):
    dsn = await fresh_db("billing_payments")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 20)
    yield pool
    await pool.close()


@pytest.fixture
async def client(billing_pool):
    async with in_process_client(billing_pool) as c:
        yield c


@pytest.fixture
async def bank(billing_pool):
    return await make_partner(billing_pool, "bank")


@pytest.fixture
async def facility(billing_pool):
    return await make_partner(billing_pool, "facility")
