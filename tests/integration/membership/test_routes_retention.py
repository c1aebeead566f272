"""Membership's own short-lived rows expire with the common tables (named `test_routes_*`:
it commits, so it runs after the rolled-back handler tests)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from common import retention
from common.settings import RetentionSettings
from services.membership.service import EXPIRING

pytestmark = pytest.mark.integration

NOW = datetime.now(UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


async def test_revocations_code_ledger_and_login_streaks_expire(committing_pool):
    pool, tag = committing_pool, uuid.uuid4().hex
    old, new = NOW - timedelta(days=2, seconds=1), NOW - timedelta(hours=23)
    sids = {"old": uuid.uuid4(), "new": uuid.uuid4()}
    for name, at in (("old", old), ("new", new)):
        await pool.execute("INSERT INTO revoked_sessions (sid, revoked_at) VALUES ($1, $2)",
                           sids[name], at)
        await pool.execute("INSERT INTO code_issues (member_hash, dest_hash, issued_at)"
                           " VALUES ($1, $2, $3)", f"{tag}-{name}", tag, at)
        await pool.execute("INSERT INTO login_throttle (subject, failures, last_failure_at)"
                           " VALUES ($1, 3, $2)", f"{tag}-{name}", at)

    deleted = await retention.purge(pool, RetentionSettings(), FixedClock(), EXPIRING)

    assert {e.table for e in EXPIRING} <= deleted.keys()
    assert await pool.fetchval("SELECT count(*) FROM revoked_sessions WHERE sid = ANY($1)",
                               list(sids.values())) == 1
    assert [r[0] for r in await pool.fetch(
        "SELECT member_hash FROM code_issues WHERE dest_hash = $1", tag)] == [f"{tag}-new"]
    assert [r[0] for r in await pool.fetch(
        "SELECT subject FROM login_throttle WHERE subject LIKE $1", f"{tag}-%")] == [f"{tag}-new"]
