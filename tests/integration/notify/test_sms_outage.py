"""Fault test (issue 17): the SMS provider is down, then comes back; every message is delivered
exactly once, counted at the provider by reference.

The real dispatcher (worker.dispatcher: LISTEN/NOTIFY, claims, the real HTTP adapter) against
the local SMS sink (devstack.sinks) told to answer 503 for a minute. Time is compressed: the
minute and every channel's retry schedule are both scaled by TIME_SCALE (0.1: a 6 s outage
against the production policies at a tenth of their waits; NOTIFY_TEST_TIME_SCALE=1 runs the
real minute). The production number of tries is kept.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest
import uvicorn

from common.clock import SystemClock
from common.db import create_pool, migrate
from contracts import events
from devstack.ports import free_port
from devstack.sinks import Store, sms_app
from services.notify.worker import dispatcher
from tests.integration.kafka_helpers import eventually
from tests.integration.notify.conftest import handle, reachable, settings

pytestmark = pytest.mark.integration
TIME_SCALE = float(os.environ.get("NOTIFY_TEST_TIME_SCALE", "0.1"))
OUTAGE = 60 * TIME_SCALE
MESSAGES = 40


@pytest.fixture
async def sms_provider():
    """The SMS sink on a free port; yields (base url, its store)."""
    store, port = Store(None), free_port()
    server = uvicorn.Server(uvicorn.Config(sms_app(store), host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started)
    try:
        yield f"http://127.0.0.1:{port}", store
    finally:
        server.should_exit = True
        await task


async def test_sms_down_then_back_delivers_every_message_exactly_once(fresh_db, sms_provider):
    url, store = sms_provider
    dsn = await fresh_db("notify_outage")
    await migrate(dsn, Path("services/notify/migrations"))
    pool = await create_pool(dsn, 6)
    s = settings(database_url=dsn, SMS_PROVIDER_URL=f"{url}/v1/messages",
                 retry_time_scale=TIME_SCALE)
    rt = SimpleNamespace(settings=s, pool=pool, clock=SystemClock())
    async with httpx.AsyncClient() as c:
        await c.post(f"{url}/api/faults", json={"down_seconds": OUTAGE})
    task = asyncio.create_task(dispatcher(rt))
    try:
        async with pool.acquire() as conn:
            for i in range(MESSAGES):  # phone-only members: SMS is their channel
                member = uuid.uuid4()
                await reachable(conn, member, phone=f"+62812{i:08d}")
                await handle(conn, events.ComplaintFiled(
                    ticket_number=f"T-{i}", member_id=member, category="service",
                    due_at=rt.clock.now()))

        async def all_sent() -> bool:
            return await pool.fetchval(
                "SELECT count(*) = $1 FROM notifications WHERE status = 'sent'", MESSAGES)

        await eventually(all_sent, timeout=OUTAGE * 3 + 30, interval=0.2)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    ids = {str(r["notification_id"]) for r in await pool.fetch(
        "SELECT notification_id FROM notifications WHERE channel = 'sms'")}
    failed_tries = await pool.fetchval(
        "SELECT count(*) FROM delivery_attempts WHERE outcome = 'failed'")
    dead = await pool.fetchval("SELECT count(*) FROM dead_letters")
    await pool.close()
    references = [m["reference"] for m in store.items]
    assert len(ids) == MESSAGES
    assert sorted(references) == sorted(ids)  # each accepted once, none lost
    assert not [m for m in store.items if m.get("repeats")]  # and none sent twice
    assert failed_tries >= MESSAGES  # every message met the outage at least once
    assert dead == 0
