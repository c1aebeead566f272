"""The Idempotency-Key guard on membership's real routes and handlers, in-process (httpx on
the ASGI app) over the real PostgreSQL.

These commit, as a client's calls do, so each test uses a participant no other test uses.
"""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests.integration.membership.conftest import (
    insert_person,
    new_member,
    next_person,
    sealed_code,
    staged,
)

pytestmark = pytest.mark.integration


COMPLAINT = {"category": "service", "text": "Antrean di puskesmas terlalu lama sekali."}


async def tickets_of(pool, p) -> int:
    return await pool.fetchval("SELECT count(*) FROM complaints WHERE member_id = $1",
                               uuid.UUID(p.member_id))


async def test_a_complaint_sent_three_times_with_one_key_files_one_ticket(
        client, member, membership_pool):
    p, auth = member
    key = {"Idempotency-Key": uuid.uuid4().hex, **auth}
    answers = [await client.post("/v1/me/complaints", json=COMPLAINT, headers=key)
               for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert answers[0].json() == answers[1].json() == answers[2].json()
    location = answers[0].headers["location"]
    assert location == f"/v1/me/complaints/{answers[0].json()['ticket_number']}"
    assert {a.headers["location"] for a in answers} == {location}
    assert await tickets_of(membership_pool, p) == 1
    # Without a key each call is a new complaint, as before.
    await client.post("/v1/me/complaints", json=COMPLAINT, headers=auth)
    assert await tickets_of(membership_pool, p) == 2


async def test_the_same_key_with_another_body_is_refused_naming_the_header(
        client, member, membership_pool):
    p, auth = member
    key = {"Idempotency-Key": uuid.uuid4().hex, **auth}
    assert (await client.post("/v1/me/complaints", json=COMPLAINT, headers=key)).status_code == 201
    other = await client.post("/v1/me/complaints", json={**COMPLAINT, "category": "app"},
                              headers=key)
    assert other.status_code == 422
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert await tickets_of(membership_pool, p) == 1


async def test_five_concurrent_duplicates_make_one_effect(client, member, membership_pool):
    p, auth = member
    key = {"Idempotency-Key": uuid.uuid4().hex, **auth}
    answers = await asyncio.gather(*[
        client.post("/v1/me/complaints", json=COMPLAINT, headers=key) for _ in range(5)])
    assert {a.status_code for a in answers} == {201}
    assert len({a.text for a in answers}) == 1
    assert await tickets_of(membership_pool, p) == 1
    async with membership_pool.acquire() as conn:
        filed = [e for e in await staged(conn, "ComplaintFiled")
                 if e["payload"]["member_id"] == p.member_id]
    assert len(filed) == 1


async def test_keys_are_per_caller_and_per_route(client, member, membership_pool):
    p, auth = member
    q, other_auth = await new_member(membership_pool, next_person())
    key = uuid.uuid4().hex
    first = await client.post("/v1/me/complaints", json=COMPLAINT,
                              headers={"Idempotency-Key": key, **auth})
    # Another member's same key is their own request: their own ticket, not a replay.
    theirs = await client.post("/v1/me/complaints", json=COMPLAINT,
                               headers={"Idempotency-Key": key, **other_auth})
    assert theirs.status_code == 201
    assert theirs.json()["ticket_number"] != first.json()["ticket_number"]
    assert await tickets_of(membership_pool, q) == 1
    # The same key on another route is another request, not a reuse.
    change = await client.post("/v1/me/faskes-changes", json={"faskes_code": "T0000001"},
                               headers={"Idempotency-Key": key, **auth})
    assert first.status_code == 201 and change.status_code == 202
    assert change.headers["location"] == change.json()["links"]["self"]
    replay = await client.post("/v1/me/faskes-changes", json={"faskes_code": "T0000001"},
                               headers={"Idempotency-Key": key, **auth})
    assert replay.json() == change.json() and replay.headers["location"] == change.headers[
        "location"]


async def test_a_wrong_code_is_counted_once_and_replayed(client, membership_pool):
    p = next_person()
    async with membership_pool.acquire() as conn:
        await insert_person(conn, p)
    r = await client.post("/v1/registrations", json={
        "nik": p.nik, "full_name": p.full_name, "birth_date": str(p.birth_date),
        "phone": "0812" + p.card_number[-8:], "password": "rahasia2024"})
    assert r.status_code == 201, r.text
    reg_id = r.json()["registration_id"]
    async with membership_pool.acquire() as conn:
        code = sealed_code([e for e in await staged(conn, "VerificationCodeIssued")
                            if e["payload"]["registration_id"] == reg_id][0])
    wrong = "000000" if code != "000000" else "111111"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    first = await client.post(f"/v1/registrations/{reg_id}/verify", json={"code": wrong},
                              headers=key)
    again = await client.post(f"/v1/registrations/{reg_id}/verify", json={"code": wrong},
                              headers=key)
    assert first.status_code == again.status_code == 400
    assert first.json() == again.json() and first.json()["attempts_left"] == 4
    assert first.headers["content-type"] == again.headers["content-type"] == (
        "application/problem+json")
    assert await membership_pool.fetchval(
        "SELECT failed_attempts FROM registrations WHERE registration_id = $1",
        uuid.UUID(reg_id)) == 1
    # Without a key, every wrong code counts (the count commits with the refusal).
    await client.post(f"/v1/registrations/{reg_id}/verify", json={"code": wrong})
    assert await membership_pool.fetchval(
        "SELECT failed_attempts FROM registrations WHERE registration_id = $1",
        uuid.UUID(reg_id)) == 2


async def test_a_replayed_login_returns_the_same_tokens_which_are_stored_sealed(
        client, member, membership_pool):
    p, _ = member
    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = {"username": p.nik, "password": "rahasia2024"}
    first = await client.post("/v1/auth/token", json=body, headers=key)
    again = await client.post("/v1/auth/token", json=body, headers=key)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    stored = await membership_pool.fetchval(
        "SELECT body::text FROM idempotency_keys WHERE key = $1", key["Idempotency-Key"])
    assert first.json()["access_token"] not in stored
    assert first.json()["refresh_token"] not in stored
    assert "__sealed__" in stored
    assert await membership_pool.fetchval(
        "SELECT count(*) FROM refresh_tokens t JOIN accounts a USING (account_id)"
        " WHERE a.member_id = $1", uuid.UUID(p.member_id)) == 1
    wrong = await client.post("/v1/auth/token", json={**body, "password": "another-one1"},
                              headers=key)
    assert wrong.status_code == 422 and wrong.json()["code"] == "idempotency_key_reused"
