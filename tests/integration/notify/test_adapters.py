"""The push (FCM HTTP v1) and chat (WhatsApp Cloud API) adapters against the local sinks over
real HTTP: accepted with the provider's id, a token FCM calls UNREGISTERED is Gone, a provider
down is a failure that may pass later, a 4xx is Permanent."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator

import aiohttp
import httpx
import pytest
import uvicorn

from devstack.ports import free_port
from devstack.sinks import Store, chat_app, push_app
from services.notify import channels
from services.notify.domain.delivery import Gone, Permanent
from services.notify.domain.message import Message
from tests.integration.kafka_helpers import eventually
from tests.integration.notify.conftest import settings

pytestmark = pytest.mark.integration
MSG = Message("Pengaduan T-1 dijawab", "Pengaduan Anda T-1 sudah dijawab.")


@contextlib.asynccontextmanager
async def serving(app) -> AsyncIterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_push_is_accepted_then_a_gone_token_is_gone_and_an_outage_may_pass():
    store = Store(None)
    async with serving(push_app(store)) as base, aiohttp.ClientSession() as client, \
            httpx.AsyncClient() as control:
        s = settings(PUSH_PROVIDER_URL=f"{base}/v1/projects/jkn-test/messages:send")
        nid = uuid.uuid4()
        name = await channels.send_push(client, s, "token-alive-0001", MSG, nid)
        assert name.startswith("projects/jkn-test/messages/")
        assert store.items[0]["reference"] == str(nid) and store.items[0]["title"] == MSG.subject
        assert await channels.send_push(client, s, "token-alive-0001", MSG, nid) == name

        await control.post(f"{base}/api/faults", json={"gone_tokens": ["token-gone-0002"]})
        with pytest.raises(Gone):
            await channels.send_push(client, s, "token-gone-0002", MSG, uuid.uuid4())
        await control.post(f"{base}/api/faults", json={"down_seconds": 30})
        with pytest.raises(aiohttp.ClientResponseError) as down:
            await channels.send_push(client, s, "token-alive-0001", MSG, uuid.uuid4())
        assert not isinstance(down.value, Permanent) and down.value.status == 503


async def test_chat_is_accepted_with_a_wamid_and_a_refusal_is_permanent():
    store = Store(None)
    async with serving(chat_app(store)) as base, aiohttp.ClientSession() as client, \
            httpx.AsyncClient() as control:
        s = settings(CHAT_PROVIDER_URL=f"{base}/v19.0/jkn-test/messages")
        wamid = await channels.send_chat(client, s, "+6281211110000", MSG, uuid.uuid4())
        assert wamid.startswith("wamid.") and store.items[0]["to"] == "6281211110000"
        await control.post(f"{base}/api/faults", json={"down_seconds": 30, "status": 400})
        with pytest.raises(Permanent):
            await channels.send_chat(client, s, "+6281211110000", MSG, uuid.uuid4())
