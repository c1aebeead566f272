"""Referral's integration fixtures: a freshly migrated referral database on the real stack."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.db import create_pool, migrate

MIGRATIONS = Path("services/referral/migrations")


@pytest.fixture(scope="session")
async def referral_pool(service_db):
    """A pool on a referral database with every migration applied."""
    return await service_db("referral")


@pytest.fixture(scope="session")
async def queue_pool(fresh_db):
    """A committing referral database for the queue's route tests (a pool wide enough for a
    burst of concurrent bookings)."""
    dsn = await fresh_db("referral_queue")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 24)
    yield pool
    await pool.close()
