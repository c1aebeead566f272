"""Delivery on the real PostgreSQL: the SMS budget with its fallback and recorded reason, a push
token the provider says is gone, dead letters and their replay (each once), signed receipts
and the NotificationDelivered they publish, and the ops numbers."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from common.db import create_pool, migrate
from common.sealing import seal
from contracts import events
from services.notify import handlers
from services.notify import replay as replay_command
from services.notify.domain.budget import SmsBudget
from services.notify.domain.delivery import DeliverDue, Gone
from services.notify.domain.signatures import sign
from services.notify.handlers.delivery import replay
from services.notify.store import members
from services.notify.worker import policies
from tests.integration.conftest import rolled_back
from tests.integration.notify.conftest import (
    MIGRATIONS,
    RECEIPT_SECRET,
    SEAL_KEY,
    Clock,
    handle,
    handlers_with,
    in_process_client,
    officer_headers,
    reachable,
    settings,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def own_pool(fresh_db):
    """A database no committing test writes to: `deliver` claims every due row it sees."""
    dsn = await fresh_db("notify_delivery")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 4)
    yield pool
    await pool.close()


NOON = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)  # 12:00 WIB


class Provider:
    """Accepts (returning an id of its own) unless told to fail; records what it got."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.fail, self.sent = fail, []

    async def send(self, channel, to, msg, nid):
        if self.fail is not None:
            raise self.fail
        self.sent.append((channel, to, msg.text, nid))
        return f"prov-{nid.hex[:12]}"


async def deliver(conn, clock, provider, **changes) -> int:
    return await handlers.deliver_due(conn, DeliverDue(), clock, send=provider.send,
                                      seal_key=SEAL_KEY, policies=policies(settings(**changes)))


def bill(member_id) -> events.BillIssued:
    return events.BillIssued(bill_id=uuid.uuid4(), payer_kind="family", payer_id="F-1",
                             period="2026-12", amount=150_000, due_date="2026-12-10",
                             member_id=member_id, va="8888801944358911", amount_due=150_000)


async def test_over_the_sms_budget_a_bill_falls_back_and_a_code_still_goes(own_pool):
    one_segment = handlers_with(SmsBudget(Decimal(350), Decimal(350)))
    phone_only, with_email = uuid.uuid4(), uuid.uuid4()
    async with rolled_back(own_pool) as conn:
        await conn.execute("DELETE FROM sms_spend")
        await reachable(conn, phone_only)
        await reachable(conn, with_email, email="head@example.test")
        first = await handle(conn, bill(phone_only), NOON, one_segment)
        over = await handle(conn, bill(phone_only), NOON, one_segment)
        code = events.VerificationCodeIssued(
            registration_id=uuid.uuid4(), member_id=with_email, channel="sms",
            destination="+6281299990000", code_sealed=seal(SEAL_KEY, "482913"),
            expires_at=NOON + timedelta(minutes=10), full_name="Siti")
        code_env = await handle(conn, code, NOON, one_segment)

        async def channels(env):
            return [(r["channel"], r["segments"]) for r in await conn.fetch(
                "SELECT channel, segments FROM notifications WHERE source_event_id = $1",
                env.event_id)]

        async def reasons(env):
            return {(r["channel"], r["reason"]) for r in await conn.fetch(
                "SELECT channel, reason FROM routing_skips WHERE source_event_id = $1",
                env.event_id)}

        assert await channels(first) == [("sms", 1)]
        assert await channels(over) == []  # nothing else reaches this member: the inbox only
        assert ("sms", "sms_over_budget") in await reasons(over)
        assert await conn.fetchval("SELECT count(*) FROM inbox_items WHERE member_id = $1",
                                   phone_only) == 2
        assert await channels(code_env) == [("sms", 1)]
        assert ("sms", "sms_over_budget_security_code") in await reasons(code_env)
        spend = await conn.fetchrow("SELECT segments, spent FROM sms_spend")
        assert (spend["segments"], spend["spent"]) == (2, Decimal(700))
        # The inbox copy of a code names where it went, never the code.
        body = await conn.fetchval("SELECT body FROM inbox_items WHERE member_id = $1",
                                   with_email)
        assert "482913" not in body and "+62812****0000" in body


async def test_a_push_token_the_provider_says_is_gone_is_forgotten(own_pool):
    member = uuid.uuid4()
    async with rolled_back(own_pool) as conn:
        await members.register_device(conn, member, None, "gone-token-123456", "android", NOON)
        await handle(conn, events.ComplaintAnswered(ticket_number="T-1", member_id=member,
                                                    within_target=True))
        clock = Clock(datetime.now(UTC) + timedelta(seconds=1))
        assert await deliver(conn, clock, Provider(Gone("unregistered"))) == 1
        assert await members.devices(conn, member) == ()
        row = await conn.fetchrow("SELECT status, delivery_status FROM notifications"
                                  " WHERE member_id = $1", member)
        assert tuple(row) == ("failed", "failed")


async def test_the_last_failed_try_is_a_dead_letter_and_replay_resends_each_once(own_pool):
    member = uuid.uuid4()
    async with rolled_back(own_pool) as conn:
        await reachable(conn, member, email="siti@example.test")
        env = await handle(conn, events.ComplaintAnswered(ticket_number="T-2", member_id=member,
                                                          within_target=True))
        clock, down = Clock(datetime.now(UTC) + timedelta(seconds=1)), Provider(
            ConnectionError("down"))
        for _ in range(2):
            assert await deliver(conn, clock, down, max_attempts=2) == 1
            clock.at += timedelta(minutes=1)
        [dead] = await conn.fetch(
            "SELECT d.*, n.status FROM dead_letters d JOIN notifications n USING"
            " (notification_id) WHERE n.source_event_id = $1", env.event_id)
        assert (dead["status"], dead["error"], dead["replayed_at"]) == (
            "failed", "ConnectionError: down", None)

        assert await replay(conn, clock) == 1
        assert await replay(conn, clock) == 0  # each dead letter once
        assert await deliver(conn, clock, down, max_attempts=2) == 1  # one more try only
        assert await deliver(conn, clock, down, max_attempts=2) == 0
        assert await replay(conn, clock) == 1  # dead again: the next replay may try again
        ok = Provider()
        assert await deliver(conn, clock, ok, max_attempts=2) == 1
        assert [to for _, to, _, _ in ok.sent] == ["siti@example.test"]
        assert await conn.fetchval("SELECT status FROM notifications WHERE notification_id"
                                   " = $1", dead["notification_id"]) == "sent"


def signed(body: dict) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(body).encode()
    ts = int(time.time())
    return raw, {"content-type": "application/json", "X-Timestamp": str(ts),
                 "X-Signature": sign(RECEIPT_SECRET.encode(), ts, raw)}


async def test_signed_receipts_move_the_status_forward_and_publish_delivered(notify_pool):
    member = uuid.uuid4()
    async with notify_pool.acquire() as conn:
        await members.register_device(conn, member, None, "rcpt-token-123456", "ios", NOON)
        await handle(conn, events.ComplaintAnswered(ticket_number="T-3", member_id=member,
                                                    within_target=True))
        async with conn.transaction():
            await deliver(conn, Clock(datetime.now(UTC) + timedelta(seconds=1)), Provider())
        n = await conn.fetchrow("SELECT * FROM notifications WHERE member_id = $1", member)
    assert (n["status"], n["delivery_status"]) == ("sent", "sent")

    async with in_process_client(notify_pool, Clock()) as client:
        raw, headers = signed({"message_id": n["provider_message_id"], "status": "read",
                               "at": datetime.now(UTC).isoformat()})
        url = "/v1/providers/push/receipts"
        first = await client.post(url, content=raw, headers=headers)
        assert first.status_code == 200 and first.json()["changed"] is True
        raw2, headers2 = signed({"message_id": str(n["notification_id"]), "status": "delivered",
                                 "at": datetime.now(UTC).isoformat()})
        late = await client.post(url, content=raw2, headers=headers2)
        assert late.json() == {"notification_id": str(n["notification_id"]), "status": "read",
                               "changed": False}
        forged = await client.post(url, content=raw, headers={**headers,
                                                               "X-Signature": "sha256=00"})
        assert forged.status_code == 401 and "X-Signature" in forged.text
        unsigned = await client.post("/v1/providers/sms/receipts", content=raw,
                                     headers=headers)  # no secret for SMS: refused
        assert unsigned.status_code == 401
        raw3, headers3 = signed({"message_id": "nope", "status": "read",
                                 "at": datetime.now(UTC).isoformat()})
        assert (await client.post(url, content=raw3, headers=headers3)).status_code == 404
        raw4, headers4 = signed({"message_id": "x", "status": "opened"})
        bad = await client.post(url, content=raw4, headers=headers4)
        assert bad.status_code == 422 and "status" in bad.text

        numbers = await client.get("/v1/ops/notify/numbers?days=400", headers=officer_headers())
        assert numbers.status_code == 422  # at most 92 days
        numbers = await client.get("/v1/ops/notify/numbers", headers=officer_headers())
        assert numbers.status_code == 200
        push = [r for r in numbers.json()["by_channel"] if r["channel"] == "push"]
        assert push and push[0]["sent"] >= 1 and push[0]["delivered"] >= 1
        assert "daily_budget" in numbers.json()["sms"]
        member_token = await client.get("/v1/ops/notify/numbers",
                                        headers={"Authorization": "Bearer x"})
        assert member_token.status_code == 401

    delivered = await notify_pool.fetch(
        "SELECT envelope FROM outbox WHERE envelope->>'type' = 'NotificationDelivered'"
        " AND envelope->'payload'->>'notification_id' = $1", str(n["notification_id"]))
    assert [json.loads(d["envelope"]) if isinstance(d["envelope"], str) else d["envelope"]
            for d in delivered][0]["payload"]["status"] == "read"
    assert len(delivered) == 1


async def test_the_replay_command_queues_each_dead_letter_once(fresh_db):
    dsn = await fresh_db("notify_replay")
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 2)
    try:
        member = uuid.uuid4()
        async with pool.acquire() as conn:
            await reachable(conn, member, email="siti@example.test")
            await handle(conn, events.ComplaintAnswered(ticket_number="T-4", member_id=member,
                                                        within_target=True))
            async with conn.transaction():
                await deliver(conn, Clock(datetime.now(UTC) + timedelta(seconds=1)),
                              Provider(ConnectionError("down")), max_attempts=1)
        s = settings(database_url=dsn)
        assert await replay_command.run(s) == 1  # what `python -m services.notify replay` does
        assert await replay_command.run(s) == 0
        assert await pool.fetchval("SELECT status FROM notifications") == "pending"
    finally:
        await pool.close()
