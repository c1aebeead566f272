"""Referral's integration fixtures: a freshly migrated referral database on the real stack."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.db import create_pool, migrate

MIGRATIONS = Path("services/referral/migrations")


@pytest.fixture(scope="session")
async def referral_pool(fresh_db):
    """A pool on a referral database with every migration applied."""
    dsn = await fresh_db("referral_core")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 10)
    yield pool
    await pool.close()
