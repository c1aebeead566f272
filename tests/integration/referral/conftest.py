"""Referral's integration fixtures: a referral database of these tests' own (they commit
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
