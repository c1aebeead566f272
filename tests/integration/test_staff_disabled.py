"""A disabled staff account's token stops working everywhere at once, not when it expires:
membership's disable stages StaffDisabled in its transaction, its real outbox relay publishes
it, billing's and notify's real consumer groups keep it, and each service's staff routes refuse
the still-unexpired token, and the figures API (no database) learns it from the topic itself; the
projections are purged once no token can be alive. Real broker
and databases; topics namespaced for this test."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from pydantic import SecretStr

from common import retention
from common.consumer import ConsumerSpec, EventConsumer
from common.db import create_pool, migrate
from common.kafka import make_producer
from common.outbox import Relay
from common.settings import KafkaSettings, RetentionSettings
from common.staff_tokens import issue_staff
from contracts import topics
from devstack.kafka import create_topics
from services.billing import api as billing_api
from services.billing import service as billing_service
from services.billing import worker as billing_worker
from services.membership import api as membership_api
from services.membership.handlers import staff_accounts
from services.membership.handlers.commands import DisableStaff
from services.notify import api as notify_api
from services.notify import service as notify_service
from services.notify import worker as notify_worker
from services.notify.domain.budget import SmsBudget
from services.ops.api import app as ops_app
from services.ops.settings import Settings as OpsSettings
from tests.integration.in_process import app_of, client_of
from tests.integration.kafka_helpers import eventually

pytestmark = pytest.mark.integration

SECRET = SecretStr("staff-disabled-test-secret-0123456789")
BUDGET = SmsBudget(Decimal(1_000_000), Decimal(350))
# One staff route of each service, and what it needs besides the token.
ROUTES = {"membership": "/v1/officer/requests", "billing": "/v1/ops/billing/collections",
          "notify": "/v1/ops/notify/numbers", "ops": "/v1/ops/figures/lag"}


async def _database(fresh_db, service: str):
    dsn = await fresh_db(f"{service}_staff_disabled")
    await migrate(dsn, Path(f"services/{service}/migrations"))
    return dsn, await create_pool(dsn, 4)


@contextlib.asynccontextmanager
async def _running(*tasks) -> AsyncIterator[None]:
    running = [asyncio.create_task(t) for t in tasks]
    try:
        yield
    finally:
        for t in running:
            t.cancel()
        await asyncio.gather(*running, return_exceptions=True)


async def _consumer(spec: ConsumerSpec, pool, kafka: KafkaSettings, dead_letters):
    await create_topics(kafka.bootstrap_servers, {
        **{kafka.topic(t): 3 for t in spec.topics},
        kafka.topic(topics.dead_letter(spec.group)): 1})
    return EventConsumer(spec, pool, kafka, dead_letters).run()


async def test_a_disabled_accounts_token_is_refused_by_every_service(kafka, fresh_db):
    ns = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers,
                       topic_prefix=f"{kafka.topic_prefix}{uuid.uuid4().hex[:8]}.")
    m_dsn, membership = await _database(fresh_db, "membership")
    _, billing = await _database(fresh_db, "billing")
    _, notify = await _database(fresh_db, "notify")
    username = f"petugas.{uuid.uuid4().hex[:6]}"
    await membership.execute(
        "INSERT INTO staff (staff_id, username, full_name, role, branch, password_hash)"
        " VALUES ($1, $2, 'Petugas', 'officer', 'bandar-lampung', 'unused')",
        uuid.uuid4(), username)
    token = {"Authorization": "Bearer " + issue_staff(SECRET, username, datetime.now(UTC),
                                                      branch="bandar-lampung")}
    apps = {
        "membership": app_of(membership_api.ROUTERS, membership, seal_key=SECRET,
                             jwt_secret=SECRET),
        "billing": app_of(billing_api.ROUTERS, billing, seal_key=SECRET, jwt_secret=SECRET),
        "notify": app_of(notify_api.ROUTERS, notify, seal_key=SECRET, jwt_secret=SECRET),
    }
    apps["notify"].state.runtime.settings.sms_budget = BUDGET

    producer, dead_letters = make_producer(ns, "membership-relay"), make_producer(ns, "dlq")
    await producer.start()
    await dead_letters.start()
    [billing_spec] = billing_worker.consumers(lambda: datetime.now(UTC))
    [notify_spec] = notify_worker.consumers(BUDGET)
    relay = Relay(membership, m_dsn, producer, ns, sweep_seconds=0.2)
    try:
        async with contextlib.AsyncExitStack() as stack:
            clients = {name: await stack.enter_async_context(client_of(app, name))
                       for name, app in apps.items()}
            for name, path in ROUTES.items():
                if name == "ops":
                    continue  # started below, once membership's topic exists
                r = await clients[name].get(path, headers=token)
                assert r.status_code == 200, (name, r.text)

            async with _running(relay.run(),
                                await _consumer(billing_spec, billing, ns, dead_letters),
                                await _consumer(notify_spec, notify, ns, dead_letters)):
                # The figures API has no database: it follows membership's topic itself.
                ops = ops_app.create_app(OpsSettings(app_id=f"ops-{uuid.uuid4().hex[:6]}",
                                                     JKN_JWT_SECRET=SECRET), ns)
                await stack.enter_async_context(ops.router.lifespan_context(ops))
                clients["ops"] = await stack.enter_async_context(client_of(ops, "ops"))
                r = await clients["ops"].get(ROUTES["ops"], headers=token)
                assert r.status_code == 200, r.text
                async with membership.acquire() as conn, conn.transaction():
                    await staff_accounts.disable_staff(conn, DisableStaff(username),
                                                       now=datetime.now(UTC))

                async def refused_by(name: str) -> bool:
                    r = await clients[name].get(ROUTES[name], headers=token)
                    return r.status_code == 401 and r.json()["code"] == "staff_account_inactive"

                for name in ROUTES:
                    await eventually(lambda name=name: refused_by(name), timeout=30)

        # Kept while the account's tokens may live, then purged with the ended sessions.
        later = SimpleNamespace(now=lambda: datetime.now(UTC) + timedelta(days=1, minutes=1))
        for pool, expiring in ((billing, billing_service.EXPIRING),
                               (notify, notify_service.EXPIRING)):
            assert await pool.fetchval("SELECT count(*) FROM disabled_staff") == 1
            await retention.purge(pool, RetentionSettings(), later, expiring)
            assert await pool.fetchval("SELECT count(*) FROM disabled_staff") == 0
    finally:
        await relay.close()
        await producer.stop()
        await dead_letters.stop()
        for pool in (membership, billing, notify):
            await pool.close()
