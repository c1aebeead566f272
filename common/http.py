"""HTTP plumbing every service shares: correlation ids, access logs and request metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid

from fastapi import FastAPI, Request
from prometheus_client import Counter, Histogram

from common.logs import correlated

log = logging.getLogger("access")

CORRELATION_HEADER = "X-Correlation-ID"
_VALID_ID = re.compile(r"^[A-Za-z0-9._\-]{8,64}$")

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "http_request_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)


def correlation_from(request: Request) -> str:
    """The caller's correlation id when it is well-formed, else a new one."""
    given = request.headers.get(CORRELATION_HEADER) or request.headers.get("X-Request-ID")
    return given if given and _VALID_ID.match(given) else uuid.uuid4().hex


def install(app: FastAPI) -> None:
    """Correlate, time and log (ids, route, status; never bodies or query strings) each request."""

    @app.middleware("http")
    async def _observe(request: Request, call_next):
        cid = correlation_from(request)
        started = time.perf_counter()
        with correlated(cid):
            response = await call_next(request)
            route = getattr(request.scope.get("route"), "path", "unmatched")
            elapsed = time.perf_counter() - started
            REQUESTS.labels(request.method, route, response.status_code).inc()
            LATENCY.labels(request.method, route).observe(elapsed)
            if route not in ("/healthz", "/readyz", "/metrics"):
                log.info(
                    "request",
                    extra={
                        "fields": {
                            "method": request.method,
                            "route": route,
                            "status": response.status_code,
                            "ms": round(elapsed * 1000, 1),
                        }
                    },
                )
        response.headers[CORRELATION_HEADER] = cid
        return response
