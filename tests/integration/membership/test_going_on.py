"""No request is left where the member cannot go on (issue 15 section 3): a registration whose
contact was taken meanwhile, an expired or locked contact change. Through the real routes
in-process over the real PostgreSQL."""

from __future__ import annotations

import contextlib
import uuid
from datetime import timedelta

import pytest

from tests.integration.membership.conftest import (
    CLOCK,
    insert_person,
    next_person,
    sealed_code,
    staged,
)

pytestmark = pytest.mark.integration


@contextlib.contextmanager
def later(seconds: float):
    """The app's clock moved on by `seconds` (past a resend cooldown), then put back."""
    CLOCK.offset += timedelta(seconds=seconds)
    try:
        yield
    finally:
        CLOCK.offset -= timedelta(seconds=seconds)


async def last_code(pool, event_type: str, key: str, value: str) -> str:
    async with pool.acquire() as conn:
        return sealed_code([e for e in await staged(conn, event_type)
                            if e["payload"][key] == value][-1])


async def start(client, pool, phone: str) -> tuple[str, str]:
    """A registration for a fresh participant with `phone`; (registration id, its code)."""
    p = next_person()
    async with pool.acquire() as conn:
        await insert_person(conn, p)
    r = await client.post("/v1/registrations", json={
        "nik": p.nik, "full_name": p.full_name, "birth_date": str(p.birth_date),
        "phone": phone, "password": "rahasia2024"})
    assert r.status_code == 201, r.text
    reg_id = r.json()["registration_id"]
    return reg_id, await last_code(pool, "VerificationCodeIssued", "registration_id", reg_id)


async def test_a_phone_taken_by_another_registrant_is_409_then_another_phone_verifies(
        client, membership_pool):
    phone = "0812" + uuid.uuid4().int.__str__()[:8]
    first, first_code = await start(client, membership_pool, phone)
    second, second_code = await start(client, membership_pool, phone)
    ok = await client.post(f"/v1/registrations/{first}/verify", json={"code": first_code})
    assert ok.status_code == 200, ok.text
    for _ in range(2):  # not a 500, and not once: every try says the same
        taken = await client.post(f"/v1/registrations/{second}/verify",
                                  json={"code": second_code})
        assert taken.status_code == 409, taken.text
        assert taken.json()["errors"][0]["field"] == "phone"
        assert taken.json()["resend"] == f"/v1/registrations/{second}/resend"
    # The same taken phone again is refused; another one gets a new code and verifies.
    with later(61):
        again = await client.post(f"/v1/registrations/{second}/resend", json={"phone": phone})
        assert again.status_code == 409 and again.json()["errors"][0]["field"] == "phone"
        other = "0813" + uuid.uuid4().int.__str__()[:8]
        moved = await client.post(f"/v1/registrations/{second}/resend", json={"phone": other})
        assert moved.status_code == 200, moved.text
        assert moved.json()["channel"] == "sms" and moved.json()["destination"].endswith(
            other[-3:])
        code = await last_code(membership_pool, "VerificationCodeIssued", "registration_id",
                               second)
        done = await client.post(f"/v1/registrations/{second}/verify", json={"code": code})
    assert done.status_code == 200, done.text
    assert await membership_pool.fetchval(
        "SELECT phone FROM accounts WHERE account_id = $1",
        uuid.UUID(done.json()["account_id"])) == "+62" + other[1:]
