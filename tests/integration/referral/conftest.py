"""Referral's integration fixtures: a freshly migrated referral database on the real stack."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
async def referral_pool(service_db):
    """A pool on a referral database with every migration applied."""
    return await service_db("referral")
