"""The demo officer and supervisor exist only with passwords the deployment made, never
published ones."""

from __future__ import annotations

import asyncpg
import pytest

from services.membership.seed import DEMO_OFFICER_PASSWORD, DEMO_SUPERVISOR_PASSWORD, seed
from services.membership.tokens import check_password

pytestmark = pytest.mark.integration


async def _officer_hash(dsn: str, username: str = "petugas.bdl") -> str | None:
    return (await _account(dsn, username) or {}).get("password_hash")


async def _account(dsn: str, username: str) -> dict | None:
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(
            "SELECT password_hash, role, branch FROM staff WHERE username = $1", username)
        return dict(row) if row else None
    finally:
        await conn.close()


async def test_no_password_no_officer_then_each_deployment_its_own(fresh_db, monkeypatch):
    dsn = await fresh_db("officer_seed")
    monkeypatch.delenv(DEMO_OFFICER_PASSWORD, raising=False)
    monkeypatch.delenv(DEMO_SUPERVISOR_PASSWORD, raising=False)
    await seed(dsn, 5)
    assert await _officer_hash(dsn) is None
    assert await _account(dsn, "supervisor.bdl") is None

    monkeypatch.setenv(DEMO_OFFICER_PASSWORD, "made-for-this-one-1")
    await seed(dsn, 5)
    first = await _officer_hash(dsn)
    assert check_password(first, "made-for-this-one-1")
    assert not check_password(first, "petugas-demo-2026")

    monkeypatch.setenv(DEMO_OFFICER_PASSWORD, "rotated-later-2")  # a seed with a newer one
    await seed(dsn, 5)
    assert check_password(await _officer_hash(dsn), "rotated-later-2")


async def test_the_demo_supervisor_has_its_own_password_and_role(fresh_db, monkeypatch):
    dsn = await fresh_db("supervisor_seed")
    monkeypatch.setenv(DEMO_OFFICER_PASSWORD, "officer-made-here-1")
    monkeypatch.setenv(DEMO_SUPERVISOR_PASSWORD, "supervisor-made-here-2")
    await seed(dsn, 5)
    officer, supervisor = (await _account(dsn, "petugas.bdl"),
                           await _account(dsn, "supervisor.bdl"))
    assert (officer["role"], officer["branch"]) == ("officer", "bandar-lampung")
    assert (supervisor["role"], supervisor["branch"]) == ("supervisor", "bandar-lampung")
    assert check_password(supervisor["password_hash"], "supervisor-made-here-2")
    assert not check_password(supervisor["password_hash"], "officer-made-here-1")
