"""Integration fixtures: a migrated database and namespaced topics on the real stack."""

from __future__ import annotations

import uuid

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
