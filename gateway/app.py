"""The gateway app: proxy /v1/* to the owning service, aggregate readiness, limit floods."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from common import http, problems
from common.http import CORRELATION_HEADER
from common.logs import current_correlation_id
from common.problems import Problem
from gateway.ratelimit import WindowLimiter
from gateway.routes import is_sensitive, service_for
from gateway.settings import Settings

FORWARD_REQUEST = ("content-type", "authorization", "idempotency-key", "accept-language",
                   "accept", "user-agent")
FORWARD_RESPONSE = ("content-type", "retry-after", "www-authenticate", "location")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    upstreams = settings.upstreams()
    limiter = WindowLimiter(settings.sensitive_per_minute)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # aiohttp rather than httpx here: proxying is the gateway's whole job, and aiohttp's
        # client spends a fraction of httpx's CPU per request (BENCHMARKS.md).
        connector = aiohttp.TCPConnector(limit=256, keepalive_timeout=30)
        timeout = aiohttp.ClientTimeout(total=settings.upstream_timeout_seconds)
        async with aiohttp.ClientSession(connector=connector, timeout=timeout,
                                         auto_decompress=False) as client:
            app.state.client = client
            yield

    app = FastAPI(title="JKN gateway", lifespan=lifespan, docs_url=None, redoc_url=None)
    problems.install(app)
    http.install(app)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/readyz", tags=["ops"])
    async def readyz(request: Request) -> JSONResponse:
        """200 only when every service the gateway calls is ready."""
        client: aiohttp.ClientSession = request.app.state.client

        async def probe(url: str) -> bool:
            try:
                async with client.get(f"{url}/readyz",
                                      timeout=aiohttp.ClientTimeout(total=3)) as r:
                    return r.status == 200
            except (aiohttp.ClientError, TimeoutError):
                return False

        results = await asyncio.gather(*(probe(u) for u in upstreams.values()))
        checks = {"gateway": True, **dict(zip(upstreams, results, strict=True))}
        ok = all(checks.values())
        return JSONResponse({"status": "ready" if ok else "not_ready", "checks": checks},
                            status_code=200 if ok else 503)

    @app.get("/metrics", tags=["ops"])
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.api_route("/v1/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def proxy(request: Request, rest: str) -> Response:
        path = "/v1/" + rest
        service = service_for(path)
        if service is None:
            raise Problem(404, "not_found", f"No such endpoint: {path}",
                          detail_id="Alamat tidak ditemukan.")
        if request.method != "GET" and is_sensitive(path):
            client_ip = request.client.host if request.client else "unknown"
            if wait := limiter.hit(client_ip):
                raise Problem(429, "rate_limited", "Too many requests; slow down.",
                              detail_id="Terlalu banyak permintaan; coba lagi sebentar.",
                              headers={"Retry-After": str(wait)}, retry_after=wait)
        body = await request.body()
        if len(body) > settings.max_body_bytes:
            raise Problem(413, "payload_too_large",
                          f"The request body is over {settings.max_body_bytes} bytes.")
        headers = {k: v for k, v in request.headers.items() if k in FORWARD_REQUEST}
        headers[CORRELATION_HEADER] = current_correlation_id()
        if request.client:
            headers["X-Forwarded-For"] = request.client.host
        url = upstreams[service] + path
        if request.url.query:
            url += "?" + request.url.query
        try:
            async with request.app.state.client.request(
                request.method, url, data=body, headers=headers
            ) as upstream:
                content = await upstream.read()
                out = {k: v for k, v in upstream.headers.items() if k.lower() in FORWARD_RESPONSE}
                return Response(content, upstream.status, out)
        except TimeoutError:
            raise Problem(504, "upstream_timeout", f"The {service} service did not answer in time.",
                          detail_id="Layanan tidak menjawab tepat waktu; coba lagi.") from None
        except aiohttp.ClientError:
            raise Problem(503, "service_unavailable", f"The {service} service is unavailable.",
                          detail_id="Layanan sedang tidak tersedia; coba lagi.",
                          headers={"Retry-After": "5"}) from None

    return app
