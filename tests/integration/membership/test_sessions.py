"""Sessions on a flaky connection, ended sessions and per-account login throttling, through
membership's real routes in-process over the real PostgreSQL (issue 15 §2 and §4).

These commit, as a client's calls do, so each test uses participants no other test uses.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

import pytest

from common.member_tokens import read_access
from contracts import events
from tests.integration.membership.conftest import (
    JWT_SECRET,
    new_member,
    next_person,
    staged,
)

pytestmark = pytest.mark.integration
PASSWORD = "rahasia2024"


@pytest.fixture
async def clock(own_clock):
    return own_clock


@pytest.fixture
async def client(committing_client):
    return committing_client


async def _login(client, username: str, password: str = PASSWORD):
    return await client.post("/v1/auth/token", json={"username": username, "password": password})


async def logged_in(client, pool):
    """A new member logged in by password: (person, token pair)."""
    p, _ = await new_member(pool, next_person())
    r = await _login(client, p.nik)
    assert r.status_code == 200, r.text
    return p, r.json()


def bearer(pair: dict) -> dict:
    return {"Authorization": f"Bearer {pair['access_token']}"}


async def revoked_within(client, pair: dict, bound: float = 5.0) -> float:
    """Seconds until the pair's access token is refused as revoked (polls; fails past bound)."""
    start = time.monotonic()
    while time.monotonic() - start < bound:
        r = await client.get("/v1/me", headers=bearer(pair))
        if r.status_code == 401:
            assert r.json()["code"] == "token_revoked"
            return time.monotonic() - start
        assert r.status_code == 200, r.text
        await asyncio.sleep(0.1)
    raise AssertionError(f"access token still accepted after {bound} s")


# --- 1. refresh with a short reuse grace -----------------------------------------------------

async def test_a_refresh_retried_within_the_grace_gets_the_same_pair(client, committing_pool):
    _, pair = await logged_in(client, committing_pool)
    body = {"refresh_token": pair["refresh_token"]}
    first = await client.post("/v1/auth/refresh", json=body)
    # The answer was lost; the phone retries with a NEW Idempotency-Key (or none).
    again = await client.post("/v1/auth/refresh", json=body,
                              headers={"Idempotency-Key": uuid.uuid4().hex})
    third = await client.post("/v1/auth/refresh", json=body)
    assert first.status_code == again.status_code == third.status_code == 200, again.text
    assert first.json() == again.json() == third.json()
    # The session lives on: the new pair refreshes and its access token works.
    assert (await client.get("/v1/me", headers=bearer(first.json()))).status_code == 200
    nxt = await client.post("/v1/auth/refresh",
                            json={"refresh_token": first.json()["refresh_token"]})
    assert nxt.status_code == 200
    stored = await committing_pool.fetchval(
        "SELECT successor_sealed FROM refresh_tokens WHERE successor_sealed IS NOT NULL"
        " AND used_at IS NOT NULL ORDER BY used_at DESC LIMIT 1")
    assert first.json()["refresh_token"] not in stored  # sealed, never in clear
    assert first.json()["access_token"] not in stored


async def test_a_reuse_after_the_grace_revokes_the_whole_login(client, committing_pool, clock):
    _, pair = await logged_in(client, committing_pool)
    body = {"refresh_token": pair["refresh_token"]}
    new = (await client.post("/v1/auth/refresh", json=body)).json()
    clock.offset += timedelta(seconds=31)
    late = await client.post("/v1/auth/refresh", json=body)
    assert late.status_code == 401 and late.json()["code"] == "refresh_token_reused"
    dead = await client.post("/v1/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert dead.status_code == 401 and dead.json()["code"] == "refresh_token_invalid"
    await revoked_within(client, new)
    await revoked_within(client, pair)


async def test_a_reuse_after_the_new_pair_was_used_revokes_even_within_the_grace(
        client, committing_pool):
    _, pair = await logged_in(client, committing_pool)
    new = (await client.post("/v1/auth/refresh",
                             json={"refresh_token": pair["refresh_token"]})).json()
    newer = await client.post("/v1/auth/refresh", json={"refresh_token": new["refresh_token"]})
    assert newer.status_code == 200
    # The first answer clearly arrived (its token was used): a replay now is a thief's.
    stale = await client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert stale.status_code == 401 and stale.json()["code"] == "refresh_token_reused"
    await revoked_within(client, newer.json())


# --- 2. ended sessions end their access tokens within seconds --------------------------------

async def test_logout_by_refresh_token_ends_the_access_token_within_seconds(
        client, committing_pool):
    _, pair = await logged_in(client, committing_pool)
    _, other = await logged_in(client, committing_pool)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    out = await client.post("/v1/auth/logout", json={"refresh_token": pair["refresh_token"]},
                            headers=key)
    assert out.status_code == 204 and out.content == b""
    replay = await client.post("/v1/auth/logout", json={"refresh_token": pair["refresh_token"]},
                               headers=key)
    assert replay.status_code == 204
    assert await revoked_within(client, pair) < 5
    refused = await client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert refused.status_code == 401
    # Another member's session is untouched.
    assert (await client.get("/v1/me", headers=bearer(other))).status_code == 200


async def test_logout_with_only_the_access_token_ends_that_session(client, committing_pool):
    p, pair = await logged_in(client, committing_pool)
    second = (await _login(client, p.nik)).json()  # the same member on another phone
    out = await client.post("/v1/auth/logout", headers=bearer(pair))
    assert out.status_code == 204
    await revoked_within(client, pair)
    assert (await client.get("/v1/me", headers=bearer(second))).status_code == 200
    assert (await client.post("/v1/auth/refresh",
                              json={"refresh_token": second["refresh_token"]})).status_code == 200
    # Ended already: logging out again is the same success.
    assert (await client.post("/v1/auth/logout", headers=bearer(pair))).status_code == 204


async def test_logout_without_any_token_is_refused(client):
    r = await client.post("/v1/auth/logout")
    assert r.status_code == 401
    r = await client.post("/v1/auth/logout", json={"refresh_token": "x" * 43})
    assert r.status_code == 401 and r.json()["code"] == "refresh_token_invalid"


async def test_a_password_change_ends_every_other_login_and_keeps_this_one(
        client, committing_pool):
    p, here = await logged_in(client, committing_pool)
    elsewhere = (await _login(client, p.nik)).json()
    wrong = await client.post("/v1/me/password", headers=bearer(here), json={
        "current_password": "not-my-password", "new_password": "kalimat baru 2026"})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "current_password"
    weak = await client.post("/v1/me/password", headers=bearer(here), json={
        "current_password": PASSWORD, "new_password": "short"})
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "new_password"
    ok = await client.post("/v1/me/password", headers=bearer(here), json={
        "current_password": PASSWORD, "new_password": "kalimat baru 2026"})
    assert ok.status_code == 204, ok.text
    await revoked_within(client, elsewhere)
    assert (await client.post("/v1/auth/refresh", json={
        "refresh_token": elsewhere["refresh_token"]})).status_code == 401
    assert (await client.get("/v1/me", headers=bearer(here))).status_code == 200
    assert (await client.post("/v1/auth/refresh",
                              json={"refresh_token": here["refresh_token"]})).status_code == 200
    assert (await _login(client, p.nik)).status_code == 401
    assert (await _login(client, p.nik, "kalimat baru 2026")).status_code == 200


# --- 3. login throttling per account ---------------------------------------------------------

async def test_wrong_passwords_make_the_account_wait_and_the_member_is_told(
        client, committing_pool, clock):
    p, _ = await new_member(committing_pool, next_person())
    q, _ = await new_member(committing_pool, next_person())
    for _ in range(5):
        r = await _login(client, p.nik, "wrong-password")
        assert r.status_code == 401 and r.json()["code"] == "invalid_credentials"
    # Waiting now: even the right password is refused, with the wait named.
    waiting = await _login(client, p.nik)
    assert waiting.status_code == 429, waiting.text
    assert waiting.json()["code"] == "login_throttled"
    assert waiting.json()["errors"][0]["field"] == "username"
    assert 1 <= int(waiting.headers["retry-after"]) <= 30
    # Per account, not per address: another member behind the same client logs in.
    assert (await _login(client, q.nik)).status_code == 200
    # The wait is per username as typed: the member's phone still logs in (locking every
    # form of the account would tell a guesser which phone belongs to which NIK).
    phone = "0812" + p.card_number[-8:]
    assert (await _login(client, phone)).status_code == 200
    # After the wait the right password works, and clears the streak.
    clock.offset += timedelta(seconds=31)
    assert (await _login(client, p.nik)).status_code == 200
    for _ in range(4):
        assert (await _login(client, p.nik, "wrong-password")).status_code == 401
    assert (await _login(client, p.nik)).status_code == 200
    # The member was told once, on their channel (the event notify turns into a message).
    async with committing_pool.acquire() as conn:
        told = [e for e in await staged(conn, "AccountLoginLocked")
                if e["payload"]["member_id"] == p.member_id]
    assert len(told) == 1
    assert told[0]["payload"]["failures"] == 5
    assert p.nik not in str(told[0]) and "wrong-password" not in str(told[0])


async def test_the_waits_grow_and_each_further_wrong_password_is_refused(
        client, committing_pool, clock):
    p, _ = await new_member(committing_pool, next_person())
    for _ in range(5):
        await _login(client, p.nik, "wrong-password")
    waits = []
    for _ in range(3):
        r = await _login(client, p.nik, "wrong-password")
        waits.append(int(r.headers["retry-after"]))
        clock.offset += timedelta(seconds=waits[-1] + 1)
        assert (await _login(client, p.nik, "wrong-password")).status_code == 401
    r = await _login(client, p.nik)
    assert r.status_code == 429
    assert waits[0] <= 30 and 30 < waits[1] <= 60 and 60 < waits[2] <= 120
    assert 120 < int(r.headers["retry-after"]) <= 240


async def test_757_wrong_passwords_then_the_right_one_is_refused(client, committing_pool, clock):
    p, _ = await new_member(committing_pool, next_person())
    answers = [(await _login(client, p.nik, f"guess-{i:04d}")).status_code for i in range(757)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    assert (await _login(client, p.nik)).status_code == 429


async def test_an_unknown_username_is_throttled_exactly_like_a_known_one(
        client, committing_pool):
    p, _ = await new_member(committing_pool, next_person())
    known, unknown = p.nik, "3174" + p.nik[4:12][::-1] + "9999"
    assert (await _login(client, unknown, "x")).status_code == 401
    answers = {}
    for name in (known, unknown):
        for _ in range(5):
            await _login(client, name, "wrong-password")
        r = await _login(client, name, "wrong-password")
        answers[name] = (r.status_code, r.json()["code"], r.headers.get("retry-after"))
    assert answers[known][:2] == answers[unknown][:2] == (429, "login_throttled")
    # The table names nobody: only keyed hashes.
    subjects = await committing_pool.fetch("SELECT subject FROM login_throttle")
    assert not any(known in r["subject"] or unknown in r["subject"] for r in subjects)


# --- 5. every ended session is announced (SessionEnded), once ---------------------------------

def sid(pair: dict) -> str:
    return str(read_access(JWT_SECRET, pair["access_token"]).sid)


async def ended_sessions(pool, p) -> list[str]:
    """The sids of the member's SessionEnded events in the outbox, oldest first."""
    async with pool.acquire() as conn:
        return [e["payload"]["sid"] for e in await staged(conn, events.SessionEnded.type)
                if e["key"] == p.member_id and e["payload"]["member_id"] == p.member_id]


async def test_logout_announces_the_ended_session_once(client, committing_pool):
    p, pair = await logged_in(client, committing_pool)
    second = (await _login(client, p.nik)).json()
    assert (await client.post("/v1/auth/logout", headers=bearer(pair))).status_code == 204
    assert (await client.post("/v1/auth/logout", json={
        "refresh_token": pair["refresh_token"]})).status_code == 204  # ended already
    assert await ended_sessions(committing_pool, p) == [sid(pair)]
    assert (await client.post("/v1/auth/logout", json={
        "refresh_token": second["refresh_token"]})).status_code == 204
    assert await ended_sessions(committing_pool, p) == [sid(pair), sid(second)]


async def test_a_password_change_announces_every_other_session_it_ended(client,
                                                                        committing_pool):
    p, here = await logged_in(client, committing_pool)
    others = [(await _login(client, p.nik)).json() for _ in range(2)]
    ok = await client.post("/v1/me/password", headers=bearer(here), json={
        "current_password": PASSWORD, "new_password": "kalimat baru 2026"})
    assert ok.status_code == 204, ok.text
    assert sorted(await ended_sessions(committing_pool, p)) == sorted(map(sid, others))


async def test_a_reused_refresh_token_announces_the_ended_login(client, committing_pool, clock):
    p, pair = await logged_in(client, committing_pool)
    await client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    clock.offset += timedelta(seconds=31)
    late = await client.post("/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]})
    assert late.json()["code"] == "refresh_token_reused"
    assert await ended_sessions(committing_pool, p) == [sid(pair)]
