"""GET /v1/me answered from the API process's card cache (migrations/0008_card_changes.sql,
common/invalidated_cache.py): the member's own change shows at once, anyone else's change (an
officer, an event, another process) as soon as its commit's notification arrives."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from prometheus_client import REGISTRY

from tests.integration.membership.conftest import insert_facility, new_member

pytestmark = pytest.mark.integration


async def _card(client, auth) -> dict:
    r = await client.get("/v1/me", headers=auth)
    assert r.status_code == 200, r.text
    return r.json()


async def _account(pool, member_id: str) -> str:
    return str(await pool.fetchval("SELECT account_id FROM accounts WHERE member_id = $1",
                                   uuid.UUID(member_id)))


async def _shows(client, auth, check, timeout: float = 2.0) -> float:
    started = time.monotonic()
    while not check(await _card(client, auth)):
        assert time.monotonic() - started < timeout, "the card never showed the change"
        await asyncio.sleep(0.005)
    return time.monotonic() - started


async def test_the_card_is_kept_and_the_members_own_change_shows_at_once(
        committing_client, committing_pool, card_cache):
    p, auth = await new_member(committing_pool)
    first = await _card(committing_client, auth)
    assert card_cache.get(await _account(committing_pool, p.member_id)) is not None

    r = await committing_client.put(
        "/v1/me/address", headers={**auth, "Idempotency-Key": str(uuid.uuid4())},
        json={"street": "Jl. Cache No. 1", "postal_code": "35111"})
    assert r.status_code == 200, r.text
    # No waiting: this process dropped the card when the change committed.
    assert (await _card(committing_client, auth))["address"]["street"] == "Jl. Cache No. 1"
    assert first["address"] != (await _card(committing_client, auth))["address"]


@pytest.mark.parametrize("change", [
    "UPDATE participants SET full_name = 'NAMA BARU' WHERE member_id = $1",
    "UPDATE accounts SET email = 'baru.' || member_id || '@example.test' WHERE member_id = $1",
])
async def test_a_change_made_elsewhere_shows_when_its_notification_arrives(
        committing_client, committing_pool, card_cache, change):
    p, auth = await new_member(committing_pool)
    before = await _card(committing_client, auth)
    assert card_cache.get(await _account(committing_pool, p.member_id)) is not None  # kept
    await committing_pool.execute(change, uuid.UUID(p.member_id))
    waited = await _shows(committing_client, auth, lambda c: c != before)
    assert waited < 1.0


async def test_a_bulk_change_empties_the_whole_cache(committing_client, committing_pool,
                                                     card_cache):
    people = [await new_member(committing_pool) for _ in range(3)]
    for _, auth in people:
        await _card(committing_client, auth)
    accounts = [await _account(committing_pool, p.member_id) for p, _ in people]
    assert all(card_cache.get(a) is not None for a in accounts)
    # One statement over more than 200 accounts notifies '*' rather than every account.
    await committing_pool.execute(
        "UPDATE accounts SET locale = locale WHERE account_id IN"
        " (SELECT account_id FROM accounts LIMIT 201)")
    await committing_pool.execute(
        "UPDATE participants SET coverage = coverage WHERE member_id = ANY($1::uuid[])",
        [uuid.UUID(p.member_id) for p, _ in people])
    started = time.monotonic()
    while any(card_cache.get(a) is not None for a in accounts):
        assert time.monotonic() - started < 2.0
        await asyncio.sleep(0.005)


async def test_a_facilitys_new_name_reaches_every_card(committing_client, committing_pool,
                                                       card_cache):
    p, auth = await new_member(committing_pool)
    code = (await _card(committing_client, auth))["fktp"]["code"]
    account = await _account(committing_pool, p.member_id)
    old = await committing_pool.fetchval("SELECT name FROM facilities WHERE code = $1", code)
    if old is None:
        async with committing_pool.acquire() as conn:
            await insert_facility(conn, code)
        old = f"Faskes {code}"
        await _shows(committing_client, auth, lambda c: c["fktp"]["name"] == old)
    assert card_cache.get(account) is not None  # kept, with the old name
    try:
        await committing_pool.execute("UPDATE facilities SET name = 'Klinik Baru' WHERE code = $1",
                                      code)
        await _shows(committing_client, auth, lambda c: c["fktp"]["name"] == "Klinik Baru")
    finally:
        await committing_pool.execute("UPDATE facilities SET name = $2 WHERE code = $1", code,
                                      old)


def _answers(source: str) -> float:
    return REGISTRY.get_sample_value("membership_card_answers_total", {"source": source}) or 0


async def test_a_cached_card_is_answered_before_the_route_with_the_same_bytes(
        committing_client, committing_pool):
    _, auth = await new_member(committing_pool)
    hits, misses = _answers("cache"), _answers("database")
    first = await committing_client.get("/v1/me", headers=auth)
    second = await committing_client.get("/v1/me", headers=auth)
    assert (_answers("cache") - hits, _answers("database") - misses) == (1, 1)
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["content-length"] == first.headers["content-length"]


async def test_a_token_the_hot_path_cannot_accept_goes_on_to_the_route_and_its_refusal(
        committing_client, committing_pool):
    _, auth = await new_member(committing_pool)
    await _card(committing_client, auth)  # cached now
    forged = {"Authorization": auth["Authorization"][:-2] + "xx"}
    r = await committing_client.get("/v1/me", headers=forged)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    assert (await committing_client.get("/v1/me")).status_code == 401
