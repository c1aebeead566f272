"""The member's inbox, preferences and devices through notify's routes, in-process, on the real
PostgreSQL (committed: each test uses members of its own)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from contracts import events
from tests.integration.notify.conftest import (
    handle,
    member_headers,
    reachable,
)

pytestmark = pytest.mark.integration


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def complaint(conn, member_id, ticket, at):
    await handle(conn, events.ComplaintFiled(ticket_number=ticket, member_id=member_id,
                                             category="service", due_at=at + timedelta(days=5)),
                 at)


async def test_the_inbox_always_receives_and_pages_newest_first(notify_pool, client):
    member, other = uuid.uuid4(), uuid.uuid4()
    t0 = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    async with notify_pool.acquire() as conn:
        # No contact at all: no channel, but the inbox still gets each message.
        for i in range(3):
            await complaint(conn, member, f"T-{i}", t0 + timedelta(minutes=i))
        await complaint(conn, other, "T-X", t0)
        assert await conn.fetchval("SELECT count(*) FROM notifications WHERE member_id = $1",
                                   member) == 0
    me = member_headers(member)
    first = (await client.get("/v1/me/notifications?limit=2", headers=me)).json()
    assert [i["title"] for i in first["items"]] == ["Pengaduan T-2 diterima",
                                                    "Pengaduan T-1 diterima"]
    assert first["unread"] == 3 and first["next"]
    second = (await client.get(f"/v1/me/notifications?limit=2&cursor={first['next']}",
                               headers=me)).json()
    assert [i["title"] for i in second["items"]] == ["Pengaduan T-0 diterima"]
    assert second["next"] is None

    newest = first["items"][0]["id"]
    read = await client.post(f"/v1/me/notifications/{newest}/read", headers={**me, **key()})
    assert read.status_code == 200 and read.json()["unread"] == 2
    theirs = (await client.get("/v1/me/notifications", headers=member_headers(other))).json()
    not_mine = await client.post(f"/v1/me/notifications/{theirs['items'][0]['id']}/read",
                                 headers={**me, **key()})
    assert not_mine.status_code == 404
    assert not_mine.headers["content-type"].startswith("application/problem+json")

    again = key()
    everything = await client.post("/v1/me/notifications/read-all", headers={**me, **again})
    replayed = await client.post("/v1/me/notifications/read-all", headers={**me, **again})
    assert everything.json() == {"marked": 2, "unread": 0} == replayed.json()
    page = (await client.get("/v1/me/notifications", headers=me)).json()
    assert page["unread"] == 0 and all(i["read"] for i in page["items"])
    assert (await client.get("/v1/me/notifications", headers=member_headers(other))
            ).json()["unread"] == 1


async def test_the_inbox_refuses_a_forged_cursor_and_a_missing_login(client):
    me = member_headers(uuid.uuid4())
    bad = await client.get("/v1/me/notifications?cursor=forged", headers=me)
    assert bad.status_code == 422 and "cursor" in bad.text
    assert (await client.get("/v1/me/notifications")).status_code == 401


async def test_preferences_are_kept_whole_and_bad_ones_name_their_field(client):
    me = member_headers(uuid.uuid4())
    defaults = (await client.get("/v1/me/notification-preferences", headers=me)).json()
    assert defaults == {"code_channel": None, "disabled": [], "language": None,
                        "quiet_hours": {"start": "21:00", "end": "06:00"}, "chat_opt_in": False}
    chosen = {"code_channel": "email", "disabled": ["sms"], "language": "en",
              "quiet_hours": {"start": "22:30", "end": "05:00"}, "chat_opt_in": True}
    put = await client.put("/v1/me/notification-preferences", json=chosen,
                           headers={**me, **key()})
    assert put.status_code == 200 and put.json() == chosen
    assert (await client.get("/v1/me/notification-preferences", headers=me)).json() == chosen

    for body, field in (({**chosen, "quiet_hours": {"start": "25:00", "end": "05:00"}},
                         "quiet_hours"),
                        ({**chosen, "disabled": ["inbox"]}, "disabled"),
                        ({**chosen, "code_channel": "push"}, "code_channel"),
                        ({**chosen, "code_channel": "sms", "disabled": ["sms"]}, "disabled")):
        refused = await client.put("/v1/me/notification-preferences", json=body,
                                   headers={**me, **key()})
        assert refused.status_code == 422, body
        assert field in refused.text
    assert (await client.get("/v1/me/notification-preferences", headers=me)).json() == chosen


async def test_preferences_route_the_next_message(notify_pool, client):
    member = uuid.uuid4()
    async with notify_pool.acquire() as conn:
        await reachable(conn, member, email="siti@example.test", phone="+6281211113333")
    me = member_headers(member)
    await client.put("/v1/me/notification-preferences", headers={**me, **key()}, json={
        "disabled": ["email"], "chat_opt_in": True, "language": "en"})
    async with notify_pool.acquire() as conn:
        env = await handle(conn, events.ComplaintAnswered(ticket_number="T-9", member_id=member,
                                                          within_target=True))
        rows = await conn.fetch("SELECT channel, destination, locale FROM notifications"
                                " WHERE source_event_id = $1", env.event_id)
        skipped = await conn.fetch("SELECT channel, reason FROM routing_skips"
                                   " WHERE source_event_id = $1", env.event_id)
    assert [tuple(r) for r in rows] == [("chat", "+6281211113333", "en")]
    assert {tuple(r) for r in skipped} == {("push", "no_device"), ("email", "disabled")}


async def test_a_device_gets_push_until_its_session_logs_out(notify_pool, client):
    member, sid = uuid.uuid4(), uuid.uuid4()
    me = member_headers(member, sid)
    token = "fcm-token-" + uuid.uuid4().hex
    registered = await client.post("/v1/me/devices", json={"token": token, "platform": "android"},
                                   headers={**me, **key()})
    assert registered.status_code == 201
    bad = await client.post("/v1/me/devices", json={"token": "x", "platform": "nokia"},
                            headers={**me, **key()})
    assert bad.status_code == 422 and "token" in bad.text and "platform" in bad.text
    async with notify_pool.acquire() as conn:
        await reachable(conn, member)
        env = await handle(conn, events.ComplaintAnswered(ticket_number="T-7", member_id=member,
                                                          within_target=True))
        assert await conn.fetchval("SELECT destination FROM notifications WHERE"
                                   " source_event_id = $1 AND channel = 'push'",
                                   env.event_id) == token
        await handle(conn, events.SessionEnded(member_id=member, sid=sid,
                                               ended_at=datetime.now(UTC)))
        assert await conn.fetchval("SELECT count(*) FROM devices WHERE member_id = $1",
                                   member) == 0
        # The push still waiting for that phone is dropped, not sent after the logout.
        assert await conn.fetchval("SELECT status FROM notifications WHERE"
                                   " source_event_id = $1", env.event_id) == "failed"
        later = await handle(conn, events.ComplaintAnswered(ticket_number="T-8",
                                                            member_id=member,
                                                            within_target=True))
        assert await conn.fetchval("SELECT channel FROM notifications WHERE"
                                   " source_event_id = $1", later.event_id) == "sms"
    ended = await client.get("/v1/me/notifications", headers=me)
    assert ended.status_code == 401 and "token_revoked" in ended.text
