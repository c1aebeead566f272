"""Members' change requests: each answers at once with a request the member can follow.

Rule decisions happen in the worker (deciders.py) seconds later; here only input checks,
the one-open-request rule, and the Idempotency-Key, all in one transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from common import idempotency
from common.problems import Problem
from common.runtime import Runtime
from contracts import events
from services.membership import effects
from services.membership.domain.calendar import local_date
from services.membership.domain.requests import Kind, Status
from services.membership.lifecycle import RequestOpen, move, open_request, stage
from services.membership.results import Result
from services.membership.tokens import AccessClaims


def accepted(request_id: uuid.UUID, status: str = "received") -> dict[str, Any]:
    return {"request_id": str(request_id), "status": status,
            "links": {"self": f"/v1/me/requests/{request_id}"}}


def _open_problem(kind: str) -> Problem:
    return Problem(409, "request_open",
                   f"You already have an open {kind.replace('_', ' ')} request; follow it at "
                   "GET /v1/me/requests.",
                   detail_id="Anda masih memiliki permintaan yang sedang diproses; pantau di "
                   "menu permintaan.")


async def submit(
    rt: Runtime, who: AccessClaims, kind: Kind, details: dict[str, Any], key: str | None,
    event_for: Any, *, at_once: bool = False,
) -> Result:
    """Open a request and stage the event that asks for its decision; 202 with its id.
    `at_once`: nothing to decide, so it is approved and applied in the same transaction."""
    now = rt.clock.now()
    scope = f"{who.member_id}:{kind.value}"
    async with rt.pool.acquire() as conn, conn.transaction():
        if stored := await idempotency.claim(conn, scope, key, idempotency.fingerprint(details)):
            return Result(stored.status, stored.body)
        p = await conn.fetchrow("SELECT * FROM participants WHERE member_id = $1 FOR UPDATE",
                                who.member_id)
        try:
            request_id = await open_request(conn, member_id=who.member_id,
                                            family_id=p["family_id"], kind=kind,
                                            details=details | _before(kind, p), now=now)
        except RequestOpen:
            raise _open_problem(kind.value) from None
        if event_for is not None:
            await stage(conn, event_for(request_id, p), str(who.member_id))
        status, code = "received", 202
        if at_once:
            req = await conn.fetchrow("SELECT * FROM requests WHERE request_id = $1", request_id)
            await move(conn, req, [Status.APPROVED, Status.APPLIED], now)
            await effects.apply(conn, req, local_date(now))
            status, code = "applied", 200
        body = accepted(request_id, status)
        await idempotency.remember(conn, scope, key, code, body)
    return Result(code, body)


def _before(kind: Kind, p) -> dict[str, Any]:
    """What the request changes from, kept with it (the timeline reads better with it)."""
    if kind is Kind.FASKES_CHANGE:
        return {"from_code": p["fktp_code"]}
    if kind is Kind.CLASS_CHANGE:
        return {"from_class": p["care_class"]}
    return {}


async def faskes_change(rt, who, cmd, key) -> Result:
    details = cmd.model_dump(mode="json")
    return await submit(rt, who, Kind.FASKES_CHANGE, details, key, lambda rid, p:
                        events.FaskesChangeRequested(request_id=rid, member_id=who.member_id,
                                                     **details))


async def class_change(rt, who, cmd, key) -> Result:
    return await submit(rt, who, Kind.CLASS_CHANGE, cmd.model_dump(mode="json"), key,
                        lambda rid, p: events.ClassChangeRequested(
                            request_id=rid, member_id=who.member_id, family_id=p["family_id"],
                            care_class=cmd.care_class))


async def newborn(rt, who, cmd, key) -> Result:
    details = cmd.model_dump(mode="json") | {"new_member_id": str(uuid.uuid4())}
    async with rt.pool.acquire() as conn:
        if await conn.fetchval("SELECT 1 FROM participants WHERE nik = $1", cmd.nik):
            raise Problem(409, "member_already_participant", "This NIK is already a participant.",
                          detail_id="NIK ini sudah terdaftar sebagai peserta.", field="nik")
    return await submit(rt, who, Kind.FAMILY_MEMBER, details, key, lambda rid, p:
                        events.FamilyMemberRequested(request_id=rid, member_id=who.member_id,
                                                     family_id=p["family_id"]))


async def identity_correction(rt, who, cmd, key) -> Result:
    return await submit(rt, who, Kind.IDENTITY_CORRECTION, cmd.model_dump(mode="json"), key,
                        lambda rid, p: events.IdentityCorrectionRequested(
                            request_id=rid, member_id=who.member_id, field=cmd.field))


async def address_change(rt: Runtime, who: AccessClaims, cmd, key: str | None) -> Result:
    """An address needs no check: the request is approved and applied in the same moment."""
    return await submit(rt, who, Kind.ADDRESS_CHANGE, {"address": cmd.model_dump(mode="json")},
                        key, None, at_once=True)


async def list_requests(rt: Runtime, who: AccessClaims) -> list[dict[str, Any]]:
    async with rt.pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT * FROM requests WHERE member_id = $1 ORDER BY created_at DESC LIMIT 100",
            who.member_id)
        return [await _public(conn, r) for r in rows]


async def get_request(rt: Runtime, who: AccessClaims, request_id: uuid.UUID) -> dict[str, Any]:
    async with rt.pool.acquire() as conn:
        row = await conn.fetchrow(
            "SELECT * FROM requests WHERE request_id = $1 AND member_id = $2",
            request_id, who.member_id)
        if row is None:
            raise Problem(404, "request_not_found", "No such request.",
                          detail_id="Permintaan tidak ditemukan.")
        return await _public(conn, row)


_INTERNAL = {"new_member_id"}


async def _public(conn, r) -> dict[str, Any]:
    timeline = await conn.fetch(
        "SELECT status, at FROM request_timeline WHERE request_id = $1 ORDER BY seq",
        r["request_id"])
    return {
        "request_id": r["request_id"], "kind": r["kind"], "status": r["status"],
        "created_at": r["created_at"], "updated_at": r["updated_at"],
        "effective_date": r["effective_date"],
        "details": {k: v for k, v in r["details"].items() if k not in _INTERNAL},
        "rule": r["rule"], "reason_en": r["reason_en"], "reason_id": r["reason_id"],
        "timeline": [dict(t) for t in timeline],
    }
