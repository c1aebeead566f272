"""Codes cost money (issue 15 §2): at most 3 codes per person and per destination in any 10
minutes and 10 a day, across registrations, resends and contact changes; through membership's
real routes in-process over the real PostgreSQL.

These commit, as a client's calls do, so each test uses participants no other test uses.
"""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import timedelta

import pytest

from tests.integration.membership.conftest import (
    insert_person,
    new_member,
    next_person,
    staged,
)

pytestmark = pytest.mark.integration
_phones = itertools.count(10_000_000)


@pytest.fixture
async def clock(own_clock):
    return own_clock


@pytest.fixture
async def client(committing_client):
    return committing_client


async def person(pool):
    p = next_person()
    async with pool.acquire() as conn:
        await insert_person(conn, p)
    return p


def a_phone() -> str:
    return f"0857{next(_phones)}"


async def register(client, p, phone: str):
    return await client.post("/v1/registrations", json={
        "nik": p.nik, "full_name": p.full_name, "birth_date": str(p.birth_date),
        "phone": phone, "password": "rahasia2024"})


async def codes_sent(pool, member_id: str) -> int:
    async with pool.acquire() as conn:
        sent = [e for kind in ("VerificationCodeIssued", "ContactCodeIssued")
                for e in await staged(conn, kind)]
    return sum(e["payload"]["member_id"] == member_id for e in sent)


def refused(r, field: str) -> int:
    """The Retry-After of a code-budget refusal naming `field`."""
    assert r.status_code == 429, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["code"] == "code_budget_exceeded"
    assert [e["field"] for e in r.json()["errors"]] == [field]
    return int(r.headers["retry-after"])


async def test_a_fourth_code_for_one_nik_in_ten_minutes_is_refused_across_registrations_and_resends(
        client, committing_pool, clock):
    p = await person(committing_pool)
    regs = []
    for _ in range(3):  # each with a new phone: the person is what is counted
        r = await register(client, p, a_phone())
        assert r.status_code == 201, r.text
        regs.append(r.json()["registration_id"])
    clock.offset += timedelta(seconds=61)  # past the resend cooldown
    wait = refused(await client.post(f"/v1/registrations/{regs[-1]}/resend"), "nik")
    assert 0 < wait <= 600 - 61
    refused(await register(client, p, a_phone()), "nik")
    assert await codes_sent(committing_pool, p.member_id) == 3
    # The window moves: once the first code is 10 minutes old, one more may go.
    clock.offset += timedelta(seconds=wait)
    assert (await client.post(f"/v1/registrations/{regs[-1]}/resend")).status_code == 200
    assert await codes_sent(committing_pool, p.member_id) == 4


async def test_a_fourth_code_to_one_phone_is_refused_across_two_niks(client, committing_pool):
    p, q = await person(committing_pool), await person(committing_pool)
    phone = a_phone()
    assert (await register(client, p, phone)).status_code == 201
    assert (await register(client, p, phone)).status_code == 201
    assert (await register(client, q, phone)).status_code == 201
    refused(await register(client, q, phone), "phone")
    # q itself has budget left: another phone works.
    assert (await register(client, q, a_phone())).status_code == 201


async def test_the_eleventh_code_in_a_day_is_refused(client, committing_pool, clock):
    p = await person(committing_pool)
    for i in range(10):
        if i and i % 3 == 0:
            clock.offset += timedelta(minutes=10, seconds=1)
        assert (await register(client, p, a_phone())).status_code == 201, i
    clock.offset += timedelta(minutes=10, seconds=1)
    wait = refused(await register(client, p, a_phone()), "nik")
    assert wait > 20 * 3600  # the first of the ten leaves the day window in ~23 h
    assert await codes_sent(committing_pool, p.member_id) == 10


async def test_contact_changes_count_against_the_destination(client, committing_pool):
    phone = a_phone()
    answers = []
    for _ in range(4):
        _, auth = await new_member(committing_pool, next_person())
        answers.append(await client.post("/v1/me/contact-changes", json={"phone": phone},
                                         headers=auth))
    assert [a.status_code for a in answers[:3]] == [202] * 3
    refused(answers[3], "phone")


async def test_ten_parallel_registrations_for_one_nik_send_at_most_three_codes(
        client, committing_pool):
    p = await person(committing_pool)
    answers = await asyncio.gather(*(register(client, p, a_phone()) for _ in range(10)))
    assert sorted(a.status_code for a in answers) == [201] * 3 + [429] * 7
    assert await codes_sent(committing_pool, p.member_id) == 3


async def test_parallel_registrations_of_many_niks_to_one_phone_send_at_most_three_codes(
        client, committing_pool):
    people = [await person(committing_pool) for _ in range(6)]
    phone = a_phone()
    answers = await asyncio.gather(*(register(client, p, phone) for p in people))
    assert sorted(a.status_code for a in answers) == [201] * 3 + [429] * 3
    hashes = await committing_pool.fetch("SELECT member_hash, dest_hash FROM code_issues")
    # The ledger holds keyed hashes only: no NIK, phone or member id in clear.
    flat = " ".join(h["member_hash"] + h["dest_hash"] for h in hashes)
    assert phone[1:] not in flat and people[0].nik not in flat
    assert str(uuid.UUID(people[0].member_id)) not in flat
