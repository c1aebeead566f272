"""The demo officer exists only with a password the deployment made, never a published one."""

from __future__ import annotations

import asyncpg
import pytest

from services.membership.seed import DEMO_OFFICER_PASSWORD, seed
from services.membership.tokens import check_password

pytestmark = pytest.mark.integration


async def _officer_hash(dsn: str) -> str | None:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(
            "SELECT password_hash FROM staff WHERE username = 'petugas.bdl'")
    finally:
        await conn.close()


async def test_no_password_no_officer_then_each_deployment_its_own(fresh_db, monkeypatch):
    dsn = await fresh_db("officer_seed")
    monkeypatch.delenv(DEMO_OFFICER_PASSWORD, raising=False)
    await seed(dsn, 5)
    assert await _officer_hash(dsn) is None

    monkeypatch.setenv(DEMO_OFFICER_PASSWORD, "made-for-this-one-1")
    await seed(dsn, 5)
    first = await _officer_hash(dsn)
    assert check_password(first, "made-for-this-one-1")
    assert not check_password(first, "petugas-demo-2026")

    monkeypatch.setenv(DEMO_OFFICER_PASSWORD, "rotated-later-2")  # a seed with a newer one
    await seed(dsn, 5)
    assert check_password(await _officer_hash(dsn), "rotated-later-2")
