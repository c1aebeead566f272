"""The partner API's conventions, written once for every service that has partners: signed
calls (domain.md §4), the audit of every call, and answers in the bridging envelope.

Each service keeps its own `partners`, `partner_keys` and `partner_calls` tables; it hands
`PartnerAuth` the two functions that read its active partners (keys unsealed) and record one
call. A partner may hold two keys during a rotation (common.partner_keys): a call signed with
either key valid at its time is accepted, and its audit row names the key that signed it.

Decision on statuses: a success is HTTP 200 with metaData code "200". A refusal keeps the
platform's rule (a 4xx application/problem+json naming the field and reason: 401 for a wrong or
missing signature, 404 for an unknown VA or card, 409 for a conflict, 422 for bad input) and its
body also carries the bridging members, `metaData` {code "201", message} and `response` null, so
a partner's client that only reads metaData still sees the failure.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

import asyncpg
from fastapi import Header, Request, Response
from pydantic import BaseModel, SecretStr, ValidationError

from common import bridging
from common.call_log import CallLog, WriteCalls
from common.errors import DomainError, InvalidInput, Unauthenticated
from common.idempotency import Guard, set_principal
from common.partner_keys import PartnerKey, signing_key
from common.problems import Problem, from_domain, validation_problem
from common.runtime import Runtime

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Db = asyncpg.Pool | asyncpg.Connection


@dataclass(frozen=True)
class Partner:
    """A partner whose calls are signed: its cons-id, kind, keys and, for a facility, its
    facility code; `key_id`, once a call checked out, names the key that signed it."""

    cons_id: str
    kind: str
    keys: tuple[PartnerKey, ...]
    facility_code: str | None = None
    key_id: str | None = None

    def signed_with(self, key: PartnerKey) -> Partner:
        return Partner(self.cons_id, self.kind, self.keys, self.facility_code, key.key_id)


LoadPartners = Callable[[Db, SecretStr], Awaitable[dict[str, Partner]]]
# (db, cons_id, path, outcome, key_id): key_id None for a call refused before a key signed it
RecordCall = Callable[[Db, str, str, str, str | None], Awaitable[None]]


def _bridged(problem: Problem) -> Problem:
    problem.body.update(bridging.failure(problem.detail))
    return problem


def refusal(error: DomainError) -> Problem:
    """A domain refusal as the partner sees it: problem+json with the bridging members."""
    return _bridged(from_domain(error))


def route_of(request: Request) -> str:
    """The route template (never the path: it may hold a VA or a card number)."""
    return getattr(request.scope.get("route"), "path", "unknown")


class PartnerDirectory:
    """This process's copy of the active partners, at most `refresh_seconds` old."""

    def __init__(self, refresh_seconds: float, load: LoadPartners) -> None:
        self.refresh_seconds, self._load = refresh_seconds, load
        self._partners: dict[str, Partner] = {}
        self._loaded = float("-inf")

    async def get(self, rt: Runtime, cons_id: str) -> Partner | None:
        if time.monotonic() - self._loaded >= self.refresh_seconds:
            self._partners = await self._load(rt.pool, rt.settings.seal_key)
            self._loaded = time.monotonic()
        return self._partners.get(cons_id)


def answered(response: Any) -> Response:
    """A bridged success encoded here: FastAPI's jsonable_encoder costs eight times json.dumps
    on these flat answers (100 against 12 µs measured), a sixth of an eligibility call.
    Dates and UUIDs are written as their ISO/text forms, as FastAPI writes them."""
    body = json.dumps(bridging.ok(response), default=str, ensure_ascii=False,
                      separators=(",", ":"))
    return Response(body.encode(), media_type="application/json")


def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.runtime.pool


# The bridging headers of a signed call, in the order the signature is checked.
PARTNER_HEADERS = ("X-cons-id", "X-timestamp", "X-signature")

# The same headers as OpenAPI parameters, for a route that calls `authenticate` itself.
SIGNED_PARAMETERS = [{"name": name, "in": "header", "required": True, "schema": {"type": "string"}}
                     for name in PARTNER_HEADERS]


def _unsigned(field: str) -> Unauthenticated:
    return Unauthenticated(
        "signature_missing", f"{field} is missing.", f"{field} tidak ada.", field=field
    )


class PartnerAuth:
    """Signed-partner dependencies and the audited call of one service's partner API."""

    def __init__(self, load: LoadPartners, record: RecordCall,
                 write_reads: WriteCalls | None = None) -> None:
        """`write_reads`, when given, writes read calls' audit rows in batches
        (common.call_log) instead of in each read's own transaction."""
        self._load, self._record, self._write_reads = load, record, write_reads

    def _read_log(self, request: Request) -> CallLog | None:
        if self._write_reads is None:
            return None
        rt: Runtime = request.app.state.runtime
        if "read_audit" not in rt.extras:
            rt.extras["read_audit"] = CallLog(rt.pool, self._write_reads)
            rt.closers.append(rt.extras["read_audit"].close)
        return rt.extras["read_audit"]

    def _directory(self, request: Request, rt: Runtime) -> PartnerDirectory:
        state = request.app.state
        if getattr(state, "partners", None) is None:
            state.partners = PartnerDirectory(rt.settings.partner_refresh_seconds, self._load)
        return state.partners

    async def authenticate(self, request: Request, *kinds: str) -> Partner:
        """The partner of one of `kinds` whose signature on `request` checks out; a refusal is
        401 and recorded in partner_calls. Called directly by the hottest reads (no
        dependency for FastAPI to solve); `signed` wraps it for every other route."""
        rt: Runtime = request.app.state.runtime
        headers = request.headers
        cons_id = headers.get("x-cons-id") or ""
        try:
            values = [(name, headers.get(name)) for name in PARTNER_HEADERS]
            for name, value in values:
                if not value:
                    raise _unsigned(name)
            found = await self._directory(request, rt).get(rt, cons_id)
            # An unknown or other-kind cons-id is refused like a wrong signature, so the
            # API does not tell which cons-ids exist.
            keys = found.keys if found is not None and found.kind in kinds else ()
            key = signing_key(keys, cons_id, values[1][1], values[2][1], rt.clock.now())
        except Unauthenticated as error:
            await self._record(rt.pool, cons_id, route_of(request), f"refused:{error.code}",
                               None)
            raise refusal(error) from None
        set_principal(request, f"partner:{cons_id}")  # scopes its Idempotency-Keys
        return found.signed_with(key)

    def signed(self, *kinds: str) -> Callable[..., Awaitable[Partner]]:
        """A dependency: `authenticate` for `kinds`. Its Header parameters are read by
        `authenticate` itself; they are declared so the OpenAPI document shows the route as
        signed."""

        async def partner(
            request: Request,
            x_cons_id: Annotated[str | None, Header(alias="X-cons-id")] = None,
            x_timestamp: Annotated[str | None, Header(alias="X-timestamp")] = None,
            x_signature: Annotated[str | None, Header(alias="X-signature")] = None,
        ) -> Partner:
            return await self.authenticate(request, *kinds)

        return partner

    async def parsed(
        self, request: Request, model: type[M], raw: bytes | dict[str, Any], partner: Partner
    ) -> M:
        """The request as `model`, or a bridged 422 (recorded) naming the fields."""
        try:
            if isinstance(raw, bytes):
                return model.model_validate_json(raw)
            return model.model_validate(raw)
        except ValidationError as exc:
            await self._record(
                _pool(request),
                partner.cons_id,
                route_of(request),
                "refused:validation_failed",
                partner.key_id,
            )
            body = validation_problem(exc.errors(include_url=False))
            problem = Problem(422, "validation_failed", body["detail"])
            problem.body["errors"] = body["errors"]
            raise _bridged(problem) from None

    async def call(
        self,
        request: Request,
        partner: Partner,
        pool: asyncpg.Pool,
        effect: Callable[[asyncpg.Connection], Awaitable[T]],
        outcome: Callable[[T], str] = lambda _: "ok",
        *,
        read_only: bool = False,
    ) -> T:
        """Run one partner call's effect in a transaction with its audit row; a refusal rolls
        the effect back, is recorded on its own and answered bridged.

        `read_only`: the effect changes nothing, so the only write is the audit row. With
        `write_reads` the row goes to the batched log (common.call_log) and the call is its
        query alone; otherwise the row commits without waiting for the disk (synchronous_commit
        off for this transaction). Either way a crash may lose the last fraction of a second
        of read audit rows, never a state change, and a facility's eligibility question is a
        read, not an fsync."""
        path = route_of(request)
        try:
            if read_only and (calls := self._read_log(request)) is not None:
                async with pool.acquire() as conn:
                    result = await effect(conn)
                calls.add(partner.cons_id, path, outcome(result), partner.key_id)
                return result
            async with pool.acquire() as conn:
                if read_only:
                    return await self._read(conn, partner, path, effect, outcome)
                async with conn.transaction():
                    result = await effect(conn)
                    await self._record(conn, partner.cons_id, path, outcome(result),
                                       partner.key_id)
                return result
        except DomainError as error:
            await self._record(pool, partner.cons_id, path, f"refused:{error.code}",
                               partner.key_id)
            raise refusal(error) from None

    async def _read(
        self,
        conn: asyncpg.Connection,
        partner: Partner,
        path: str,
        effect: Callable[[asyncpg.Connection], Awaitable[T]],
        outcome: Callable[[T], str],
    ) -> T:
        """`call`'s read_only transaction, begun and set in one round trip (asyncpg's
        conn.transaction() and the SET LOCAL would take two, and its bookkeeping costs more
        CPU than the eligibility read itself)."""
        await conn.execute("BEGIN; SET LOCAL synchronous_commit = off")
        try:
            result = await effect(conn)
            await self._record(conn, partner.cons_id, path, outcome(result), partner.key_id)
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
        return result

    async def write(
        self,
        request: Request,
        partner: Partner,
        guard: Guard,
        body: BaseModel,
        effect: Callable[[asyncpg.Connection], Awaitable[Any]],
    ) -> Response:
        """A partner's write, once per Idempotency-Key (required: the door resends a partner
        call that was never answered): the effect, its audit row and the stored answer commit
        together; a retry gets the first answer; a refusal is recorded and answered bridged."""
        path = route_of(request)

        async def audited(conn: asyncpg.Connection) -> dict[str, Any]:
            result = await effect(conn)
            await self._record(conn, partner.cons_id, path, "ok", partner.key_id)
            return bridging.ok(result)

        try:
            if not guard.key:
                raise InvalidInput(
                    "idempotency_key_missing",
                    "Send an Idempotency-Key with this call.",
                    "Sertakan Idempotency-Key pada panggilan ini.",
                    field="Idempotency-Key",
                )
            return await guard.run(body, audited)
        except DomainError as error:
            await self._record(_pool(request), partner.cons_id, path, f"refused:{error.code}",
                               partner.key_id)
            raise refusal(error) from None
