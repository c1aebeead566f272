"""Referral's integration fixtures: referral databases of these tests' own (they commit
through the routes; the rolled-back use-case tests on service_db("referral") must not see
their facilities and outbox rows)."""

from __future__ import annotations

import pytest

from tests.integration.conftest import migrated_pool


@pytest.fixture(scope="session")
async def referral_pool(fresh_db):
    """A pool on a freshly migrated referral database."""
    async with migrated_pool(fresh_db, "referral_core", "referral", 10) as pool:
        yield pool


@pytest.fixture(scope="session")
async def queue_pool(fresh_db):
    """A committing referral database for the queue's route tests (a pool wide enough for a
    burst of concurrent bookings)."""
    async with migrated_pool(fresh_db, "referral_queue", "referral", 24) as pool:
        yield pool
