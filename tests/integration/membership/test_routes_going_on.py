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


async def change_email(client, pool, auth, email: str, key: str | None = None):
    r = await client.post("/v1/me/contact-changes", json={"email": email},
                          headers={**auth, "Idempotency-Key": key or uuid.uuid4().hex})
    if r.status_code != 202:
        return r, None
    rid = r.json()["request_id"]
    return r, await last_code(pool, "ContactCodeIssued", "request_id", rid)


def an_email() -> str:
    return f"m{uuid.uuid4().hex[:10]}@example.org"


async def status_of(pool, request_id: str) -> tuple[str, str | None]:
    row = await pool.fetchrow("SELECT status, rule FROM requests WHERE request_id = $1",
                              uuid.UUID(request_id))
    return row["status"], row["rule"]


async def test_a_locked_contact_change_is_resent_after_the_cooldown_and_then_verifies(
        client, member, membership_pool):
    p, auth = member
    email = an_email()
    r, code = await change_email(client, membership_pool, auth, email)
    rid = r.json()["request_id"]
    wrong = "000000" if code != "000000" else "111111"
    answers = [await client.post(f"/v1/me/contact-changes/{rid}/verify", json={"code": wrong},
                                 headers=auth) for _ in range(5)]
    assert answers[-1].status_code == 423  # locked
    soon = await client.post(f"/v1/me/contact-changes/{rid}/resend", headers=auth)
    assert soon.status_code == 429 and int(soon.headers["retry-after"]) > 0
    with later(61):
        key = {**auth, "Idempotency-Key": uuid.uuid4().hex}
        resent = await client.post(f"/v1/me/contact-changes/{rid}/resend", headers=key)
        assert resent.status_code == 202, resent.text
        assert resent.json()["request_id"] == rid and resent.json()["status"] == "received"
        replay = await client.post(f"/v1/me/contact-changes/{rid}/resend", headers=key)
        assert replay.json() == resent.json()
        async with membership_pool.acquire() as conn:
            assert len([e for e in await staged(conn, "ContactCodeIssued")
                        if e["payload"]["request_id"] == rid]) == 2  # the replay sent none
        new_code = await last_code(membership_pool, "ContactCodeIssued", "request_id", rid)
        assert (await client.post(f"/v1/me/contact-changes/{rid}/verify",
                                  json={"code": code}, headers=auth)).status_code == 400
        done = await client.post(f"/v1/me/contact-changes/{rid}/verify",
                                 json={"code": new_code}, headers=auth)
    assert done.status_code == 200, done.text
    assert await membership_pool.fetchval(
        "SELECT email FROM accounts WHERE member_id = $1", uuid.UUID(p.member_id)) == email


async def test_a_cancelled_contact_change_makes_way_for_another_contact(
        client, member, membership_pool):
    p, auth = member
    r, _ = await change_email(client, membership_pool, auth, an_email())
    rid = r.json()["request_id"]
    blocked, _ = await change_email(client, membership_pool, auth, an_email())
    assert blocked.status_code == 409 and blocked.json()["code"] == "request_open"
    key = {**auth, "Idempotency-Key": uuid.uuid4().hex}
    cancelled = await client.delete(f"/v1/me/contact-changes/{rid}", headers=key)
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "rejected"
    assert (await client.delete(f"/v1/me/contact-changes/{rid}", headers=key)).json() == (
        cancelled.json())
    assert await status_of(membership_pool, rid) == ("rejected", "cancelled_by_member")
    again = await client.delete(f"/v1/me/contact-changes/{rid}", headers=auth)
    assert again.status_code == 409 and again.json()["code"] == "request_closed"
    email = an_email()
    r2, code = await change_email(client, membership_pool, auth, email)
    assert r2.status_code == 202, r2.text
    done = await client.post(f"/v1/me/contact-changes/{r2.json()['request_id']}/verify",
                             json={"code": code}, headers=auth)
    assert done.status_code == 200 and done.json()["email"] == email


async def test_an_expired_contact_change_no_longer_blocks_a_new_one(
        client, member, membership_pool):
    p, auth = member
    r, code = await change_email(client, membership_pool, auth, an_email())
    rid = r.json()["request_id"]
    with later(24 * 3600):  # long past any code's lifetime
        email = an_email()
        r2, code2 = await change_email(client, membership_pool, auth, email)
        assert r2.status_code == 202, r2.text
        assert await status_of(membership_pool, rid) == ("rejected", "contact_code_unusable")
        old = await client.post(f"/v1/me/contact-changes/{rid}/verify", json={"code": code},
                                headers=auth)
        assert old.status_code == 409
        done = await client.post(f"/v1/me/contact-changes/{r2.json()['request_id']}/verify",
                                 json={"code": code2}, headers=auth)
    assert done.status_code == 200 and done.json()["email"] == email
