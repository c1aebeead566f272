"""GET /v1/me's hot path: a card the process has cached is answered before FastAPI routes the
request.

The app opens on GET /v1/me, and with its card cached (services/membership/service.py) FastAPI's
routing, exception and exit-stack layers were most of what the call cost (BENCHMARKS.md, "GET
/v1/me"). This ASGI layer sits inside the service's own (the access log and metrics, the body
limit, the service credential: common/runtime.py) and answers only the plain case: a valid,
unrevoked member token, checked by the same dependency the route uses, whose card is cached.
Anything else (no cache, a miss, a bad or ended token, another method or path) goes on to the
route unchanged, which answers or refuses exactly as before, so the hot path cannot change an
answer, only skip work.
"""

from __future__ import annotations

from prometheus_client import Counter
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from services.membership.api.deps import member_of

PATH = "/v1/me"
ANSWERS = Counter("membership_card_answers_total", "GET /v1/me answers by where they came from",
                  ["source"])
_HIT, _MISS = ANSWERS.labels("cache"), ANSWERS.labels("database")


def count_miss() -> None:
    """The route read the card from the database (called by the route)."""
    _MISS.inc()


class CardHotPath:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._route: object | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == PATH and scope["method"] == "GET":
            body = await _cached_card(scope)
            if body is not None:
                _HIT.inc()
                scope["route"] = self._route or self._find_route(scope)  # the logs' route
                await send({"type": "http.response.start", "status": 200, "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _find_route(self, scope: Scope) -> object | None:
        self._route = next((r for r in scope["app"].routes
                            if getattr(r, "path", None) == PATH), None)
        return self._route


async def _cached_card(scope: Scope) -> bytes | None:
    cards = scope["app"].state.runtime.extras.get("cards")
    if cards is None:
        return None
    try:
        who = await member_of(Request(scope))
    except Exception:  # the route refuses it the same way, as problem+json
        return None
    return cards.get(str(who.account_id))
