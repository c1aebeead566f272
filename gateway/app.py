"""The Python app behind the edge: what a proxy cannot do. Readiness of everything behind the
door, and the one OpenAPI document of the public API (gateway/openapi.py) with its offline
/docs page; later the ops dashboard. HAProxy (gateway/haproxy/) routes /readyz, /healthz,
/openapi.json and /docs here and every /v1 path straight to its service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from common import docs, http, problems, tracing
from gateway import openapi
from gateway.readiness import readiness
from gateway.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    upstreams = settings.upstreams()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as client:
            app.state.client = client
            yield

    app = FastAPI(title="JKN gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    # The document at /openapi.json is the public API's, not this app's own few routes.
    app.openapi = openapi.document  # type: ignore[method-assign]
    docs.install(app)
    problems.install(app)
    http.install(app)
    tracing.instrument_app(app)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    async def readyz(request: Request) -> JSONResponse:
        """200 while any service behind the door is ready, naming each one's state."""
        client: aiohttp.ClientSession = request.app.state.client

        async def probe(url: str) -> bool:
            try:
                async with client.get(f"{url}/readyz") as r:
                    return r.status == 200
            except (aiohttp.ClientError, TimeoutError):
                return False

        results = await asyncio.gather(*(probe(u) for u in upstreams.values()))
        status, body = readiness(dict(zip(upstreams, results, strict=True)))
        return JSONResponse(body, status_code=status)

    @app.get("/metrics", tags=["ops"])  # on the app's internal port only; the door answers 404
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
