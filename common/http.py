"""HTTP plumbing every service shares: correlation ids, access logs and request metrics.

A plain ASGI middleware, not Starlette's BaseHTTPMiddleware: that one wraps every response in
an extra task and stream, which costs more CPU than a small handler itself.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi import FastAPI
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common import tracing
from common.logs import correlation_id

log = logging.getLogger("access")

CORRELATION_HEADER = "X-Correlation-ID"
_VALID_ID = re.compile(rb"^[A-Za-z0-9._\-]{8,64}$")
_QUIET = {"/healthz", "/readyz", "/metrics"}

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "http_request_duration_seconds", "HTTP request latency", ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def correlation_from(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's correlation id when it is well-formed, else a new one."""
    for name, value in headers:
        if name in (b"x-correlation-id", b"x-request-id") and _VALID_ID.match(value):
            return value.decode()
    return uuid.uuid4().hex


class Observe:
    """Correlate, time and log (ids, route, status; never bodies or query strings) a request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cid = correlation_from(scope["headers"])
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-correlation-id", cid.encode())]
            await send(message)

        token = correlation_id.set(cid)
        tracing.tag_correlation(cid)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = getattr(scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - started
            REQUESTS.labels(scope["method"], route, status).inc()
            LATENCY.labels(scope["method"], route).observe(elapsed)
            if route not in _QUIET:
                log.info("request", extra={"fields": {
                    "method": scope["method"], "route": route, "status": status,
                    "ms": round(elapsed * 1000, 1)}})
            correlation_id.reset(token)


def install(app: FastAPI) -> None:
    app.add_middleware(Observe)
