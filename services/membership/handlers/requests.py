"""Members' change requests: each answers at once with a request the member can follow.

Rule decisions happen in the worker (deciders) seconds later; here only input checks and the
one-open-request rule, in the caller's unit of work.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

import asyncpg

from common.errors import Conflict, NotFound
from contracts import events
from services.membership.domain import identity
from services.membership.domain.assisted import OnBehalf
from services.membership.domain.calendar import local_date
from services.membership.domain.requests import Kind, Status
from services.membership.handlers import applying
from services.membership.handlers.commands import (
    AddNewborn,
    ChangeAddress,
    CorrectIdentity,
    RequestClassChange,
    RequestFaskesChange,
)
from services.membership.store import participants, requests
from services.membership.store.events import stage
from services.membership.tokens import AccessClaims

EventFor = Callable[[uuid.UUID, asyncpg.Record], events.Event]
_INTERNAL = {"new_member_id"}  # kept with the request, never shown to the member


def request_open(kind: Kind) -> Conflict:
    return Conflict("request_open",
                    f"You already have an open {kind.value.replace('_', ' ')} request; follow "
                    "it at GET /v1/me/requests.",
                    "Anda masih memiliki permintaan yang sedang diproses; pantau di "
                    "menu permintaan.")


def _details(cmd: Any) -> dict[str, Any]:
    """A command's fields as the request stores them (JSON: dates as ISO strings)."""
    return {k: v.isoformat() if isinstance(v, date) else v
            for k, v in asdict(cmd).items() if k not in ("member", "on_behalf")}


def _before(kind: Kind, p: asyncpg.Record) -> dict[str, Any]:
    """What the request changes from, kept with it (the timeline reads better with it)."""
    if kind is Kind.FASKES_CHANGE:
        return {"from_code": p["fktp_code"]}
    if kind is Kind.CLASS_CHANGE:
        return {"from_class": p["care_class"]}
    return {}


async def submit(conn: asyncpg.Connection, who: AccessClaims, kind: Kind,
                 details: dict[str, Any], event_for: EventFor | None, *, now: datetime,
                 at_once: bool = False, on_behalf: OnBehalf | None = None) -> dict[str, Any]:
    """Open a request and stage the event that asks for its decision.
    `at_once`: nothing to decide, so it is approved and applied in the same unit of work.
    `on_behalf`: an officer started it at the kiosk (kept with the request)."""
    p = await participants.get(conn, who.member_id, for_update=True)
    try:
        req = await requests.open_request(conn, member_id=who.member_id,
                                          family_id=p["family_id"], kind=kind,
                                          details=details | _before(kind, p), now=now,
                                          on_behalf=on_behalf)
    except requests.RequestOpen:
        raise request_open(kind) from None
    if event_for is not None:
        await stage(conn, event_for(req["request_id"], p), str(who.member_id))
    status = Status.RECEIVED
    if at_once:
        status = await requests.move(conn, req, [Status.APPROVED, Status.APPLIED], now)
        await applying.apply(conn, req, local_date(now))
    return {"request_id": str(req["request_id"]), "status": status.value,
            "links": {"self": f"/v1/me/requests/{req['request_id']}"}}


async def request_faskes_change(conn: asyncpg.Connection, cmd: RequestFaskesChange, *,
                                now: datetime) -> dict[str, Any]:
    """Ask to move to another FKTP; the rules decide within seconds, effective the 1st."""
    d = _details(cmd)
    return await submit(conn, cmd.member, Kind.FASKES_CHANGE, d, lambda rid, p:
                        events.FaskesChangeRequested(request_id=rid,
                                                     member_id=cmd.member.member_id, **d),
                        now=now, on_behalf=cmd.on_behalf)


async def request_class_change(conn: asyncpg.Connection, cmd: RequestClassChange, *,
                               now: datetime) -> dict[str, Any]:
    """Ask to change the family's care class (the whole KK moves)."""
    return await submit(conn, cmd.member, Kind.CLASS_CHANGE, _details(cmd), lambda rid, p:
                        events.ClassChangeRequested(
                            request_id=rid, member_id=cmd.member.member_id,
                            family_id=p["family_id"], care_class=cmd.care_class), now=now)


async def add_newborn(conn: asyncpg.Connection, cmd: AddNewborn, *,
                      now: datetime) -> dict[str, Any]:
    """Ask to add a baby to the member's family."""
    if await participants.nik_is_participant(conn, cmd.nik):
        raise Conflict("member_already_participant", "This NIK is already a participant.",
                       "NIK ini sudah terdaftar sebagai peserta.", field="nik")
    details = _details(cmd) | {"new_member_id": str(uuid.uuid4())}
    return await submit(conn, cmd.member, Kind.FAMILY_MEMBER, details, lambda rid, p:
                        events.FamilyMemberRequested(request_id=rid,
                                                     member_id=cmd.member.member_id,
                                                     family_id=p["family_id"]), now=now)


async def correct_identity(conn: asyncpg.Connection, cmd: CorrectIdentity, *,
                           now: datetime) -> dict[str, Any]:
    """Ask to correct name, birth date or NIK; an officer reviews it. The value must be one
    the approval can apply: a real name, a plausible birth date, a valid NIK no one holds."""
    value = identity.corrected_value(cmd.field, cmd.value, local_date(now))
    if cmd.field == "nik" and await participants.nik_is_participant(conn, value):
        raise Conflict("nik_taken", "This NIK is already on a participant's record.",
                       "NIK ini sudah tercatat pada data peserta.", field="value")
    return await submit(conn, cmd.member, Kind.IDENTITY_CORRECTION,
                        _details(cmd) | {"value": value},
                        lambda rid, p: events.IdentityCorrectionRequested(
                            request_id=rid, member_id=cmd.member.member_id, field=cmd.field),
                        now=now, on_behalf=cmd.on_behalf)


async def change_address(conn: asyncpg.Connection, cmd: ChangeAddress, *,
                         now: datetime) -> dict[str, Any]:
    """An address needs no check: the request is approved and applied in the same moment."""
    return await submit(conn, cmd.member, Kind.ADDRESS_CHANGE, {"address": cmd.address}, None,
                        now=now, at_once=True)


def _public(r: asyncpg.Record, timeline: list[asyncpg.Record]) -> dict[str, Any]:
    return {
        "request_id": r["request_id"], "kind": r["kind"], "status": r["status"],
        "channel": r["channel"],
        "created_at": r["created_at"], "updated_at": r["updated_at"],
        "effective_date": r["effective_date"],
        "details": {k: v for k, v in r["details"].items() if k not in _INTERNAL},
        "rule": r["rule"], "reason_en": r["reason_en"], "reason_id": r["reason_id"],
        "timeline": [{"status": t["status"], "at": t["at"]} for t in timeline],
    }


async def my_requests(conn: asyncpg.Connection, who: AccessClaims,
                      request_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    """The member's requests (or the one named), newest first, with their timelines."""
    rows = await requests.of_member(conn, who.member_id, request_id)
    lines = await requests.timelines(conn, [r["request_id"] for r in rows])
    return [_public(r, lines[r["request_id"]]) for r in rows]


async def my_request(conn: asyncpg.Connection, who: AccessClaims,
                     request_id: uuid.UUID) -> dict[str, Any]:
    found = await my_requests(conn, who, request_id)
    if not found:
        raise NotFound("request_not_found", "No such request.", "Permintaan tidak ditemukan.")
    return found[0]
