"""A bank's key rotated with an overlap, on the real database with billing's routes in-process:
either key signs during the overlap and each call's audit row names the key (never the
secret); the old key stops at the overlap's end or when revoked; the operator's command prints
the new secret once, keeps it sealed and refuses a third key."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from common.partner_key_admin import revoke_old, rotate
from services.billing.handlers.partners import upsert_partner
from tests.integration.billing.paying import (
    JWT_SECRET,
    SEAL_KEY,
    SignedPartner,
    make_family,
    make_partner,
)

DAY = timedelta(hours=24)
VA = "/v1/partners/bank/va/{va}"


async def _rotate(pool, cons_id: str, *, now: datetime, overlap: timedelta = DAY) -> str:
    async with pool.acquire() as conn, conn.transaction():
        key, _ = await rotate(conn, cons_id, seal_key=SEAL_KEY, overlap=overlap, now=now)
    return key.secret


async def _audit(pool, cons_id: str) -> list[tuple[str, str | None]]:
    rows = await pool.fetch("SELECT outcome, key_id FROM partner_calls WHERE cons_id = $1"
                            " ORDER BY id", cons_id)
    return [(r["outcome"], r["key_id"]) for r in rows]


async def _inquire(client, bank: SignedPartner, va: str, secret: str) -> int:
    r = await client.get(VA.format(va=va), headers=bank.headers(secret=secret))
    return r.status_code


async def test_either_key_signs_during_the_overlap_and_each_call_names_its_key(
        client, billing_pool):
    bank = await make_partner(billing_pool, "bank")
    fam = await make_family(billing_pool, months_back=[0])
    now = datetime.now(UTC)
    new = await _rotate(billing_pool, bank.cons_id, now=now)
    assert await _inquire(client, bank, fam.va, bank.secret) == 200
    assert await _inquire(client, bank, fam.va, new) == 200
    assert await _audit(billing_pool, bank.cons_id) == [("ok", "k1"), ("ok", "k2")]
    ends = await billing_pool.fetch("SELECT key_id, valid_until FROM partner_keys"
                                    " WHERE cons_id = $1 ORDER BY key_id", bank.cons_id)
    assert [(r["key_id"], r["valid_until"]) for r in ends] == [("k1", now + DAY), ("k2", None)]
    text = " ".join(str(v) for r in await billing_pool.fetch(
        "SELECT * FROM partner_keys WHERE cons_id = $1", bank.cons_id) for v in r.values())
    assert new not in text and bank.secret not in text  # sealed at rest


async def test_revoking_the_old_key_ends_the_overlap_at_once(client, billing_pool):
    bank = await make_partner(billing_pool, "bank")
    fam = await make_family(billing_pool, months_back=[0])
    new = await _rotate(billing_pool, bank.cons_id, now=datetime.now(UTC))
    at = datetime.now(UTC)
    async with billing_pool.acquire() as conn, conn.transaction():
        assert await revoke_old(conn, bank.cons_id, seal_key=SEAL_KEY, now=at) == {"k1": at}
    assert await _inquire(client, bank, fam.va, bank.secret) == 401
    assert await _inquire(client, bank, fam.va, new) == 200
    assert await _audit(billing_pool, bank.cons_id) == [("refused:bad_signature", None),
                                                        ("ok", "k2")]


async def test_the_old_key_stops_when_the_overlap_is_over(client, billing_pool):
    bank = await make_partner(billing_pool, "bank")
    fam = await make_family(billing_pool, months_back=[0])
    # A key held for a month, rotated two hours ago with a one-hour overlap: its time is up.
    await billing_pool.execute("UPDATE partner_keys SET valid_from = now() - interval '30 days'"
                               " WHERE cons_id = $1", bank.cons_id)
    new = await _rotate(billing_pool, bank.cons_id, now=datetime.now(UTC) - timedelta(hours=2),
                        overlap=timedelta(hours=1))
    assert await _inquire(client, bank, fam.va, bank.secret) == 401
    assert await _inquire(client, bank, fam.va, new) == 200


def _command(dsn: str, *args: str, overlap_hours: str = "24") -> subprocess.CompletedProcess:
    env = {**os.environ, "BILLING_DATABASE_URL": dsn, "JKN_SEAL_KEY": SEAL_KEY.get_secret_value(),
           "JKN_JWT_SECRET": JWT_SECRET.get_secret_value(),
           "PARTNER_KEY_OVERLAP_HOURS": overlap_hours}
    return subprocess.run([sys.executable, "-m", "services.billing", "partner", *args],
                          env=env, capture_output=True, text=True, timeout=60)


async def test_the_command_prints_the_new_secret_once_and_refuses_a_third_key(
        client, billing_pool, fresh_db):
    dsn = await fresh_db("billing_payments")  # billing_pool's database
    bank = await make_partner(billing_pool, "bank")
    fam = await make_family(billing_pool, months_back=[0])
    before = datetime.now(UTC)
    done = _command(dsn, "rotate", bank.cons_id, overlap_hours="2")
    assert done.returncode == 0, done.stderr
    secret = done.stdout.split("secret (shown once): ", 1)[1].split()[0]
    assert done.stdout.count(secret) == 1 and "key k1 signs until" in done.stdout
    until = await billing_pool.fetchval("SELECT valid_until FROM partner_keys"
                                        " WHERE cons_id = $1 AND key_id = 'k1'", bank.cons_id)
    assert before + timedelta(hours=2) <= until <= datetime.now(UTC) + timedelta(hours=2)
    assert await _inquire(client, bank, fam.va, secret) == 200

    third = _command(dsn, "rotate", bank.cons_id)
    assert third.returncode == 2 and "revoke the old one first" in third.stderr
    assert _command(dsn, "revoke-old", bank.cons_id).returncode == 0
    assert await _inquire(client, bank, fam.va, bank.secret) == 401
    again = _command(dsn, "revoke-old", bank.cons_id)
    assert again.returncode == 2 and "no old key" in again.stderr
    unknown = _command(dsn, "rotate", "nobody-" + bank.cons_id)
    assert unknown.returncode == 2 and "No such partner" in unknown.stderr


async def test_a_seed_run_again_keeps_a_rotated_partners_keys(client, billing_pool):
    bank = await make_partner(billing_pool, "bank")
    fam = await make_family(billing_pool, months_back=[0])
    new = await _rotate(billing_pool, bank.cons_id, now=datetime.now(UTC))
    async with billing_pool.acquire() as conn, conn.transaction():
        await upsert_partner(conn, cons_id=bank.cons_id, name="test bank", kind="bank",
                             secret="the-seed-s-secret", seal_key=SEAL_KEY,
                             now=datetime.now(UTC))
    keys = await billing_pool.fetch("SELECT key_id FROM partner_keys WHERE cons_id = $1"
                                    " ORDER BY key_id", bank.cons_id)
    assert [r["key_id"] for r in keys] == ["k1", "k2"]
    assert await _inquire(client, bank, fam.va, "the-seed-s-secret") == 401
    assert await _inquire(client, bank, fam.va, new) == 200
