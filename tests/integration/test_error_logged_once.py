"""An unhandled error in a route is logged once, by our handler, with no value in it, even
though Starlette re-raises it to the server (uvicorn), which logs it again otherwise."""

from __future__ import annotations

import asyncio
import io
import json
import logging

import asyncpg
import httpx
import uvicorn
from fastapi import FastAPI

from common import logs, problems
from devstack.ports import free_port

NIK = "1871091203840001"


async def test_a_500_is_logged_once_without_the_value() -> None:
    app = FastAPI()
    problems.install(app)

    @app.get("/boom")
    async def boom() -> None:
        raise asyncpg.exceptions.PostgresError.new({
            "S": "ERROR", "C": "23505", "n": "accounts_nik_key",
            "M": 'duplicate key value violates unique constraint "accounts_nik_key"',
            "D": f"Key (nik)=({NIK}) already exists."})

    out, root = io.StringIO(), logging.getLogger()
    saved = root.handlers[:], root.level
    logs.configure("test")
    root.handlers[0].setStream(out)  # type: ignore[attr-defined]
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None,
                                           access_log=False, lifespan="off"))
    task = asyncio.create_task(server.serve())
    try:
        for _ in range(1000):  # bounded: uvicorn has no "started" event to await
            if server.started:
                break
            await asyncio.sleep(0.01)
        async with httpx.AsyncClient() as client:
            r = await client.get(f"http://127.0.0.1:{port}/boom")
        assert r.status_code == 500 and r.json()["code"] == "internal"
        server.should_exit = True
        await task
    finally:
        root.handlers[:], root.level = saved
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    with_traceback = [x for x in records if "exc" in x]
    assert [x["msg"] for x in with_traceback] == ["unhandled error"], records
    assert NIK not in out.getvalue()
    assert "sqlstate=23505 constraint=accounts_nik_key" in with_traceback[0]["exc"]
