"""The bill run survives a SIGKILL anywhere: the CLI is killed in the middle of a run (between
two committed chunks, and with a streamed bill's lines written but not committed), run again,
and every payer has exactly one bill for the period, its lines summing to it, and one BillIssued
in the outbox."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from common.sealing import new_key
from tests.integration.billing.conftest import enrol_all, ledger_facts, synthetic_families

pytestmark = pytest.mark.integration
PARTICIPANTS = 40_000  # about 12,000 families: ~1,700 paying for themselves, ~1,300 employers


def bill_run(dsn: str, failpoint: str | None = None) -> subprocess.CompletedProcess:
    # Billing's settings need the platform's secrets even for the CLI (partners and autodebit
    # accounts are sealed); any values do here.
    env = {**os.environ, "BILLING_DATABASE_URL": dsn, "BILLING_LOG_LEVEL": "WARNING",
           "JKN_FAILPOINTS": failpoint or "", "JKN_SEAL_KEY": new_key(),
           "JKN_JWT_SECRET": "test-jwt-secret-of-some-length-0123456789"}
    return subprocess.run([sys.executable, "-m", "services.billing", "bill-run", "--period",
                           "2026-12"], env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def families():
    return synthetic_families(PARTICIPANTS)


@pytest.mark.parametrize("failpoint", ["bill_run_chunk_committed", "bill_run_streaming"])
async def test_a_killed_bill_run_resumes_to_exactly_one_bill_per_payer(
        own_db, families, failpoint) -> None:
    dsn, pool = own_db
    await enrol_all(pool, families)

    killed = bill_run(dsn, failpoint)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    async with pool.acquire() as conn:
        partial = await ledger_facts(conn, "2026-12")
        assert await conn.fetchval(
            "SELECT finished_at FROM bill_runs WHERE period = '2026-12'") is None
    # Something was committed before the kill, and some payers are still to bill.
    assert 0 < partial["bills"] and partial["unbilled"] > 0
    assert partial["doubled"] == partial["off"] == 0

    done = bill_run(dsn)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "bills/s" in done.stderr  # the progress bar (tqdm writes to stderr)
    async with pool.acquire() as conn:
        facts = await ledger_facts(conn, "2026-12")
        run = await conn.fetchrow("SELECT * FROM bill_runs WHERE period = '2026-12'")
        payers = await conn.fetchval("SELECT count(*) FROM (SELECT DISTINCT payer_kind,"
                                     " payer_id FROM members) p")
    assert facts == {"bills": payers, "doubled": 0, "off": 0, "issued": payers,
                     "issued_bills": payers, "unbilled": 0}
    assert run["finished_at"] is not None and run["bills"] == payers

    again = bill_run(dsn)  # a rerun after the finish makes nothing
    assert again.returncode == 0
    async with pool.acquire() as conn:
        assert await ledger_facts(conn, "2026-12") == facts


def test_a_malformed_period_is_refused_naming_it() -> None:
    res = subprocess.run([sys.executable, "-m", "services.billing", "bill-run", "--period",
                          "2026-13"], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "BILLING_DATABASE_URL": "postgresql://x@127.0.0.1/x"})
    assert res.returncode == 2
    assert "--period" in res.stderr and "YYYY-MM" in res.stderr
