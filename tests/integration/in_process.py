"""A service's routes in-process (httpx on the ASGI app) over the real PostgreSQL, with the
system clock and the tests' own secrets: how route tests call a service without starting it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from types import SimpleNamespace

import httpx
from fastapi import APIRouter, FastAPI
from pydantic import SecretStr

from common import problems
from common.clock import SystemClock


def app_of(routers: list[APIRouter], pool, *, seal_key: SecretStr,
           jwt_secret: SecretStr) -> FastAPI:
    """The routers on an app whose runtime is the pool, the secrets and the system clock;
    ended sessions and partners are re-read on every call."""
    app = FastAPI()
    problems.install(app)
    for router in routers:
        app.include_router(router)
    settings = SimpleNamespace(seal_key=seal_key, jwt_secret=jwt_secret,
                               revocation_refresh_seconds=0.0, partner_refresh_seconds=0.0)
    app.state.runtime = SimpleNamespace(pool=pool, settings=settings, clock=SystemClock())
    return app


@contextlib.asynccontextmanager
async def client_of(app: FastAPI, name: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url=f"http://{name}") as c:
        yield c
