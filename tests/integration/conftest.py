"""Integration fixtures: a migrated database and namespaced topics on the real stack."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from common.db import create_pool, migrate
from common.settings import KafkaSettings
from devstack.kafka import create_topics


@pytest.fixture(scope="session")
def kafka(stack, run_id) -> KafkaSettings:
    return KafkaSettings(bootstrap_servers=stack.bootstrap, topic_prefix=f"{run_id}.")


@pytest.fixture
async def topic(kafka: KafkaSettings) -> str:
    """A fresh logical topic (3 partitions) for one test."""
    name = f"it.{uuid.uuid4().hex[:8]}"
    await create_topics(kafka.bootstrap_servers, {kafka.topic(name): 3})
    return name


@pytest.fixture(scope="session")
async def db(fresh_db):
    """A database with the common tables and a test effect table; returns (dsn, pool)."""
    dsn = await fresh_db("integration")
    await migrate(dsn)
    pool = await create_pool(dsn, 8)
    await pool.execute(
        "CREATE TABLE IF NOT EXISTS effects (event_id uuid, consumer text, note text)"
    )
    yield dsn, pool
    await pool.close()


@pytest.fixture(scope="session")
async def service_db(fresh_db):
    """`await service_db("notify")`: a pool on a database with that service's schema."""
    pools = {}

    async def pool(service: str):
        if service not in pools:
            dsn = await fresh_db(f"{service}_usecases")
            await migrate(dsn, Path(f"services/{service}/migrations"))
            pools[service] = await create_pool(dsn, 4)
        return pools[service]

    yield pool
    for p in pools.values():
        await p.close()


@pytest.fixture
async def uow(service_db, request):
    """A connection in a transaction rolled back after the test, on the database of the test
    module's SERVICE: use cases run as in production, and no test sees another's rows."""
    async with rolled_back(await service_db(request.module.SERVICE)) as conn:
        yield conn


@contextlib.asynccontextmanager
async def rolled_back(pool) -> AsyncIterator:
    """A connection inside a transaction that is rolled back at the end, whatever happens."""
    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            yield conn
        finally:
            await tx.rollback()


@contextlib.asynccontextmanager
async def migrated_pool(fresh_db, name: str, service: str, size: int = 4) -> AsyncIterator:
    """A pool on a fresh database `name` with `service`'s schema, closed at the end (for tests
    that commit and must not share the rolled-back use-case tests' database)."""
    dsn = await fresh_db(name)
    await migrate(dsn, Path(f"services/{service}/migrations"))
    pool = await create_pool(dsn, size)
    try:
        yield pool
    finally:
        await pool.close()
