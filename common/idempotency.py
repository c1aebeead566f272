"""The one Idempotency-Key guard for mutating HTTP calls: the first answer is stored and replayed.

Every mutating route runs its handler through `Guard.run`, which is also its unit of work: one
connection, one transaction. The key is claimed in that transaction, so the effect and the
stored answer commit together or not at all. A concurrent retry blocks on the key's primary key
until the first commits, then replays its answer; if the first rolled back (a refusal), the
retry runs afresh. Reusing a key for a different request answers 422 naming `Idempotency-Key`.

- Scope: the caller (`set_principal`, called by the auth dependency; `anonymous` otherwise)
  and the route template (`POST /v1/me/complaints`), never a string written by hand.
- Fingerprint: HMAC-SHA256 over the path parameters and the parsed body, keyed by a service
  secret, so a stored fingerprint of a body holding a password cannot be attacked offline.
- Replay: the first answer's status, body (byte for byte) and headers (Location...). With
  `sealed=True` (token answers) the body is stored encrypted (common.sealing), never in clear.
- A refusal raised with `commit=True` (a counted wrong code) commits, is stored and replayed;
  any other refusal rolls back and is not stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

import asyncpg
from fastapi import Header, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import BaseModel, SecretStr

from common import sealing
from common.errors import DomainError, InvalidInput
from common.problems import MEDIA_TYPE, from_domain

IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=8, max_length=128, pattern=r"^[A-Za-z0-9_\-:.]+$"),
]
_SEALED = "__sealed__"


@dataclass(frozen=True)
class Answer:
    """What a route answers: status, a JSON-able body and the headers a client needs."""

    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


Effect = Callable[[asyncpg.Connection], Awaitable[Any]]


def set_principal(request: Request, principal: str) -> None:
    """Name the authenticated caller, so their keys never meet another caller's."""
    request.state.principal = principal


def scope_of(request: Request) -> str:
    """Who calls which route: the caller and the method with the route's template."""
    principal = getattr(request.state, "principal", "anonymous")
    route = getattr(request.scope.get("route"), "path", request.url.path)
    return f"{principal} {request.method} {route}"


def fingerprint(secret: bytes, payload: Any) -> str:
    """A keyed, stable hash of the request, to tell a retry from a different request."""
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hmac.new(secret, canonical.encode(), hashlib.sha256).hexdigest()


def _reused() -> InvalidInput:
    return InvalidInput(
        "idempotency_key_reused",
        "This Idempotency-Key was already used for a different request.",
        "Idempotency-Key ini sudah dipakai untuk permintaan lain.",
        field="Idempotency-Key",
    )


def _refusal(error: DomainError) -> Answer:
    problem = from_domain(error)
    return Answer(problem.status, problem.body, problem.headers)


def _render(body: Any) -> str:
    return json.dumps(jsonable_encoder(body), ensure_ascii=False, separators=(",", ":"))


def respond(status: int, text: str, headers: dict[str, str]) -> Response:
    """The HTTP response of an answer rendered once (problem+json for refusals), so a replay
    is byte for byte the first answer."""
    if status == 204:  # No Content: a body (even `null`) would break the HTTP message
        return Response(status_code=204, headers=headers or None)
    media = MEDIA_TYPE if status >= 400 else "application/json"
    return Response(text, status, headers or None, media_type=media)


class Guard:
    """One request's unit of work with its Idempotency-Key (see the module docstring)."""

    def __init__(self, pool: asyncpg.Pool, request: Request, key: str | None, *,
                 secret: SecretStr, seal_key: SecretStr | None = None) -> None:
        self.pool, self.request, self.key = pool, request, key
        self.secret, self.seal_key = secret, seal_key

    async def run(self, command: BaseModel | None, effect: Effect, *, status: int = 200,
                  sealed: bool = False) -> Response:
        """Run `effect(conn)` once per key; it returns a body (answered with `status`) or an
        Answer. Returns the response, replayed from the first run for a retry."""
        body = command.model_dump(mode="json") if command is not None else None
        print_ = fingerprint(self.secret.get_secret_value().encode(),
                             {"path": self.request.path_params, "body": body})
        scope = scope_of(self.request)
        async with self.pool.acquire() as conn, conn.transaction():
            if self.key and (stored := await self._claim(conn, scope, print_)):
                return respond(*stored)
            try:
                answer = await effect(conn)
                if not isinstance(answer, Answer):
                    answer = Answer(status, answer)
            except DomainError as error:
                if not error.commit:
                    raise
                answer = _refusal(error)
            text = _render(answer.body)
            if self.key:
                await self._remember(conn, scope, answer, text, sealed)
        return respond(answer.status, text, answer.headers)

    async def _claim(self, conn: asyncpg.Connection, scope: str,
                     print_: str) -> tuple[int, str, dict[str, str]] | None:
        fresh = await conn.fetchval(
            "INSERT INTO idempotency_keys (scope, key, fingerprint) VALUES ($1, $2, $3)"
            " ON CONFLICT DO NOTHING RETURNING true", scope, self.key, print_)
        if fresh:
            return None
        row = await conn.fetchrow(
            "SELECT fingerprint, status, body, headers FROM idempotency_keys"
            " WHERE scope = $1 AND key = $2", scope, self.key)
        if not hmac.compare_digest(row["fingerprint"], print_):
            raise _reused()
        text = row["body"]
        if isinstance(text, dict) and set(text) == {_SEALED}:
            text = sealing.unseal(self._seal_key(), text[_SEALED])
        elif not isinstance(text, str):  # stored as a JSON value by an earlier version
            text = _render(text)
        return row["status"], text, row["headers"] or {}

    async def _remember(self, conn: asyncpg.Connection, scope: str, answer: Answer, text: str,
                        sealed: bool) -> None:
        # The rendered text itself (a JSON string in jsonb): jsonb would reorder an object.
        stored: Any = {_SEALED: sealing.seal(self._seal_key(), text)} if sealed else text
        await conn.execute(
            "UPDATE idempotency_keys SET status = $3, body = $4, headers = $5"
            " WHERE scope = $1 AND key = $2", scope, self.key, answer.status, stored,
            answer.headers)

    def _seal_key(self) -> SecretStr:
        if self.seal_key is None:
            raise RuntimeError("a sealed answer needs the guard's seal_key")
        return self.seal_key
