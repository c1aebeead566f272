"""Internal ports answer only the edge: each service has a credential of its own, which HAProxy
adds to every call it passes on (the X-JKN-Service header, gateway/edge.py), and a service
refuses any other call before a route runs, with a 401 problem+json.

A service accepts a list (<SERVICE>_SERVICE_TOKENS, comma-separated), so the credential
rotates without downtime: add the new token beside the old one and restart the service, then
give the edge the new one (GATEWAY_<SERVICE>_SERVICE_TOKEN), then drop the old one.

/healthz, /readyz and /metrics stay open: HAProxy's health checks, the gateway app's readiness
probe and the metrics scraper call them directly and they tell nothing about a member. With no
token set the check is off, so in-process test apps and a bare `python -m services.x` work.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from fastapi import FastAPI
from pydantic import SecretStr
from starlette.types import ASGIApp, Receive, Scope, Send

from common.problems import problem_body, problem_response

HEADER = "X-JKN-Service"
_HEADER_KEY = HEADER.lower().encode()
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def tokens_of(setting: SecretStr | None) -> tuple[bytes, ...]:
    """The accepted tokens of a comma-separated setting (empty: the check is off)."""
    if setting is None:
        return ()
    return tuple(t.strip().encode() for t in setting.get_secret_value().split(",") if t.strip())


def _refusal(code: str, detail: str, detail_id: str):
    return problem_response(401, problem_body(401, code, detail, detail_id=detail_id))


_MISSING = _refusal("service_credential_missing",
                    f"{HEADER} is missing: call this service through the gateway.",
                    f"{HEADER} tidak ada: panggil layanan ini melalui gateway.")
_WRONG = _refusal("service_credential_invalid", f"{HEADER} is not this service's credential.",
                  f"{HEADER} bukan kredensial layanan ini.")


class ServiceCredential:
    """Refuse (401) an HTTP call without one of `tokens` in X-JKN-Service, but OPEN_PATHS."""

    def __init__(self, app: ASGIApp, tokens: tuple[bytes, ...]) -> None:
        self.app, self.tokens = app, tokens

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        presented = next((v for k, v in scope["headers"] if k == _HEADER_KEY), None)
        if presented is None:
            await _MISSING(scope, receive, send)
            return
        # Every token is compared (no early exit), each in constant time.
        matches = [hmac.compare_digest(presented, token) for token in self.tokens]
        if not any(matches):
            await _WRONG(scope, receive, send)
            return
        await self.app(scope, receive, send)


def install(app: FastAPI, setting: SecretStr | None) -> None:
    """Check the credential on `app` when the setting names at least one token."""
    if tokens := tokens_of(setting):
        app.add_middleware(ServiceCredential, tokens=tokens)


def presented_by_edge(env: Mapping[str, str], service: str) -> dict[str, str]:
    """The header the edge presents to `service` on a platform with `env`, for a test or a
    benchmark that calls the service's own port (nothing when the platform has no credential)."""
    token = env.get(f"GATEWAY_{service.upper()}_SERVICE_TOKEN")
    return {HEADER: token} if token else {}
