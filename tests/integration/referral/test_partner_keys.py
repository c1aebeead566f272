"""A facility's key rotated with referral's own command (`python -m services.referral partner
rotate`), on the real database: its eligibility questions signed with either key are answered
during the overlap, each read's batched audit row names the key that signed it, and after
`revoke-old` only the new key signs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.integration.kafka_helpers import eventually
from tests.integration.referral.world import (
    DIGEST_KEY,
    JWT_SECRET,
    SEAL_KEY,
    enrol,
    in_process_client,
    make_facility,
    make_partner,
)

pytestmark = pytest.mark.integration
PATH = "/v1/partners/facility/eligibility"


def _command(dsn: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "REFERRAL_DATABASE_URL": dsn,
           "JKN_SEAL_KEY": SEAL_KEY.get_secret_value(),
           "JKN_JWT_SECRET": JWT_SECRET.get_secret_value(),
           "JKN_NIK_DIGEST_KEY": DIGEST_KEY.get_secret_value()}
    return subprocess.run([sys.executable, "-m", "services.referral", "partner", *args],
                          env=env, capture_output=True, text=True, timeout=60)


async def _audit(pool, cons_id: str, n: int):
    rows = await pool.fetch("SELECT outcome, key_id FROM partner_calls WHERE cons_id = $1"
                            " ORDER BY at, id", cons_id)
    return [(r["outcome"], r["key_id"]) for r in rows] if len(rows) >= n else None


async def test_a_facility_signs_with_either_key_until_the_old_one_is_revoked(
        referral_pool, fresh_db):
    dsn = await fresh_db("referral_core")  # referral_pool's database
    async with referral_pool.acquire() as conn:
        fktp = await make_facility(conn)
        m = await enrol(conn, fktp)
    clinic = await make_partner(referral_pool, "fktp", fktp)
    rotated = _command(dsn, "rotate", clinic.cons_id)
    assert rotated.returncode == 0, rotated.stderr
    new = rotated.stdout.split("secret (shown once): ", 1)[1].split()[0]
    params = {"card_number": m.card_number}
    async with in_process_client(referral_pool) as c:
        for secret in (clinic.secret, new):
            r = await c.get(PATH, params=params, headers=clinic.headers(secret=secret))
            assert r.status_code == 200, r.text
        assert _command(dsn, "revoke-old", clinic.cons_id).returncode == 0
        r = await c.get(PATH, params=params, headers=clinic.headers(secret=clinic.secret))
        assert r.status_code == 401
        r = await c.get(PATH, params=params, headers=clinic.headers(secret=new))
        assert r.status_code == 200, r.text
    assert await eventually(lambda: _audit(referral_pool, clinic.cons_id, 4)) == [
        ("ok", "k1"), ("ok", "k2"), ("refused:bad_signature", None), ("ok", "k2")]
