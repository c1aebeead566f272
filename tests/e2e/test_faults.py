"""No event lost, none applied twice, when the producing process dies around the publish.

Failpoints (common/faults.py) make the membership process SIGKILL itself at an exact point of
the outbox relay; the test then restarts it as an operator's supervisor would.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg
import pytest

from tests.e2e.platform import restart, wait_dead
from tests.e2e.test_registration import e164, phone_of, registration
from tests.integration.kafka_helpers import read

pytestmark = pytest.mark.e2e


async def outbox_row(platform, member_id: str):
    conn = await asyncpg.connect(platform.dsn("membership"))
    try:
        return await conn.fetchrow(
            "SELECT event_id, published_at, envelope->'payload'->>'registration_id' AS reg_id"
            " FROM outbox WHERE envelope->>'type' = 'VerificationCodeIssued'"
            " AND envelope->'payload'->>'member_id' = $1", member_id)
    finally:
        await conn.close()


async def notify_effects(platform, event_id) -> tuple[int, int]:
    conn = await asyncpg.connect(platform.dsn("notify"))
    try:
        notes = await conn.fetchval(
            "SELECT count(*) FROM notifications WHERE source_event_id = $1", event_id)
        tries = await conn.fetchval(
            "SELECT count(*) FROM delivery_attempts d JOIN notifications n USING"
            " (notification_id) WHERE n.source_event_id = $1", event_id)
        return notes, tries
    finally:
        await conn.close()


def settle_and_count(platform, to: str, seconds: float = 3.0) -> int:
    """Wait for the first SMS, then long enough for a duplicate to show; count them."""
    platform.wait_messages("sms", to, 1, timeout=30)
    time.sleep(seconds)
    return len(platform.inbox("sms", to))


async def drained(platform, service: str = "membership", timeout: float = 20) -> float:
    """Wait until the service's outbox holds nothing unpublished; returns the seconds waited."""
    conn = await asyncpg.connect(platform.dsn(service))
    started = time.monotonic()
    try:
        while await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL"):
            assert time.monotonic() - started < timeout, f"{service} outbox not drained"
            await asyncio.sleep(0.05)
    finally:
        await conn.close()
    return time.monotonic() - started


@pytest.mark.parametrize("failpoint", ["relay_before_publish", "relay_after_publish"])
async def test_a_crash_around_the_publish_loses_nothing_and_doubles_nothing(
        platform, person, failpoint):
    await drained(platform)  # the crash must hit this test's event, not a leftover
    restart(platform, "membership", {"JKN_FAILPOINTS": failpoint})
    key = {"Idempotency-Key": uuid.uuid4().hex}
    body = registration(person, phone=phone_of(person))
    try:
        first = platform.post("/v1/registrations", body, headers=key)
        wait_dead(platform, "membership")  # the process died in the relay, after the commit
        row = await outbox_row(platform, person.member_id)
        assert row["published_at"] is None
        if failpoint == "relay_before_publish":
            assert platform.inbox("sms", e164(person)) == []
    finally:
        restart(platform, "membership")
    # The relay may kill the process before the HTTP answer leaves it (503 at the gateway):
    # the app retries with the same key and gets the committed answer, not a second code.
    retry = platform.post("/v1/registrations", body, headers=key)
    assert retry.status_code == 201, retry.text
    assert first.status_code in (201, 503)
    if first.status_code == 201:
        assert first.json() == retry.json()
    reg_id = retry.json()["registration_id"]
    assert reg_id == row["reg_id"]

    assert settle_and_count(platform, e164(person)) == 1
    assert (await outbox_row(platform, person.member_id))["published_at"] is not None
    assert await notify_effects(platform, row["event_id"]) == (1, 1)
    on_topic = [e for e in await read(platform.env["KAFKA_BOOTSTRAP_SERVERS"],
                                      platform.env["KAFKA_TOPIC_PREFIX"] + "jkn.membership.events",
                                      10_000, timeout=5)
                if e["event_id"] == str(row["event_id"])]
    # After publish-then-crash the event really is on the topic twice; its effect is not.
    assert len(on_topic) == (2 if failpoint == "relay_after_publish" else 1)
    code = platform.code_for("sms", e164(person))
    assert platform.post(f"/v1/registrations/{reg_id}/verify", {"code": code}).status_code == 200
    print("drained after", await drained(platform))


def test_the_platform_recovers_from_a_broker_outage_without_a_hand(platform, stack, person):
    if stack.kafka is None:
        pytest.skip("needs the local broker, which this run can stop and start")
    stack.kafka.stop()
    try:
        # Writes keep landing in the outbox while the broker is away.
        r = platform.post("/v1/registrations", registration(person, phone=phone_of(person)))
        assert r.status_code == 201, r.text
        time.sleep(3)
        assert platform.inbox("sms", e164(person)) == []
    finally:
        stack.kafka.start()
        stack.kafka.wait_ready(90)
    # Relay, consumers and dispatcher reconnect by themselves; the code arrives once.
    assert settle_and_count(platform, e164(person), seconds=2.0) == 1
    code = platform.code_for("sms", e164(person))
    v = platform.post(f"/v1/registrations/{r.json()['registration_id']}/verify", {"code": code})
    assert v.status_code == 200
