"""Notify on a real, freshly migrated PostgreSQL: its handlers as the worker binds them, its
routes in-process (httpx on the ASGI app), member and officer tokens signed as membership
signs them."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from common import problems
from common.db import create_pool, migrate
from common.member_tokens import AccessClaims, issue_access
from common.sealing import new_key
from common.staff_tokens import issue_staff
from contracts import Envelope, events, wrap
from services.notify import api
from services.notify.domain.budget import SmsBudget
from services.notify.settings import Settings
from services.notify.worker import routes

MIGRATIONS = Path("services/notify/migrations")
SEAL_KEY = SecretStr(new_key())
JWT_SECRET = SecretStr("test-jwt-secret-of-some-length-0123456789")
RECEIPT_SECRET = "push-receipts-secret"
BUDGET = SmsBudget(Decimal(1_000_000), Decimal(350))


def settings(**changes) -> Settings:
    return Settings.model_validate({
        "database_url": "postgresql://unused", "JKN_SEAL_KEY": SEAL_KEY.get_secret_value(),
        "JKN_JWT_SECRET": JWT_SECRET.get_secret_value(), "revocation_refresh_seconds": 0.0,
        "push_receipt_secret": RECEIPT_SECRET, **changes})


def handlers_with(budget: SmsBudget = BUDGET) -> dict:
    """The handlers as the worker binds them (fan-out ones to `budget`), by event type."""
    return {event_type: h for (_, event_type), h in routes(budget).items()}


ON = handlers_with()


def envelope(event: events.Event, occurred_at: datetime | None = None) -> Envelope:
    return wrap(event, producer="membership", key=str(uuid.uuid4()), correlation_id="corr-nf",
                occurred_at=occurred_at)


async def handle(conn, event: events.Event, occurred_at: datetime | None = None,
                 on: dict | None = None) -> Envelope:
    env = envelope(event, occurred_at)
    await (on or ON)[event.type](conn, env, event)
    return env


async def reachable(conn, member_id: uuid.UUID, email: str | None = None,
                    phone: str | None = "+6281211110000", locale: str = "id") -> None:
    await handle(conn, events.ContactChanged(member_id=member_id, email=email, phone=phone,
                                             locale=locale))


class Clock:
    """Stands still until moved."""

    def __init__(self, at: datetime | None = None) -> None:
        self.at = at or datetime.now(UTC)

    def now(self) -> datetime:
        return self.at


def member_headers(member_id: uuid.UUID, sid: uuid.UUID | None = None) -> dict[str, str]:
    token = issue_access(JWT_SECRET, AccessClaims(uuid.uuid4(), member_id, sid),
                         datetime.now(UTC))
    return {"Authorization": f"Bearer {token}"}


def officer_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_staff(JWT_SECRET, 'petugas.bdl', datetime.now(UTC))}"}


@pytest.fixture(scope="session")
async def notify_pool(fresh_db):
    """A database of its own: route tests commit."""
    dsn = await fresh_db("notify_fanout")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 10)
    yield pool
    await pool.close()


@contextlib.asynccontextmanager
async def in_process_client(pool, clock: Clock, **changes) -> AsyncIterator[httpx.AsyncClient]:
    app = FastAPI()
    problems.install(app)
    for router in api.ROUTERS:
        app.include_router(router)
    app.state.runtime = SimpleNamespace(pool=pool, settings=settings(**changes), clock=clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://notify") as c:
        yield c


@pytest.fixture
async def client(notify_pool):
    async with in_process_client(notify_pool, Clock()) as c:
        yield c
