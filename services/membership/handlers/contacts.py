"""Changing a login contact: a code goes to the NEW email or phone, and only the right code
makes it replace the old one (so a typo can never lock a member out)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import SecretStr

from common.errors import Conflict, InvalidInput, NotFound, TooMany
from common.sealing import seal
from contracts import events
from services.membership.domain import contact, otp, rules
from services.membership.domain.decisions import Decision
from services.membership.domain.requests import Kind, Status
from services.membership.handlers import codes
from services.membership.handlers.commands import (
    CancelContactChange,
    ResendContactCode,
    StartContactChange,
    VerifyContactChange,
)
from services.membership.handlers.registration import contact_taken
from services.membership.handlers.requests import request_open
from services.membership.store import accounts, contact_codes, participants, requests
from services.membership.store.events import stage
from services.membership.tokens import AccessClaims


def _new_contact(cmd: StartContactChange) -> tuple[str, str]:
    """(channel, normalized value) of the one new contact given."""
    if bool(cmd.email) == bool(cmd.phone):
        raise InvalidInput("one_contact", "Give either a new email or a new phone number.",
                           "Isi salah satu: email baru atau nomor HP baru.",
                           fields=("email", "phone"))
    if cmd.email:
        return "email", contact.normalize_email(cmd.email)
    return "sms", contact.normalize_phone(cmd.phone or "")


async def start_contact_change(conn: asyncpg.Connection, cmd: StartContactChange, *,
                               now: datetime, pepper: SecretStr,
                               seal_key: SecretStr) -> dict[str, Any]:
    """Open a contact-change request and send a code to the new contact."""
    who = cmd.member
    channel, value = _new_contact(cmd)
    field = "email" if channel == "email" else "phone"
    if await accounts.contact_taken(conn, field, value):
        raise contact_taken(field)
    p = await participants.profile(conn, who.member_id)
    await _close_dead(conn, who.member_id, now)
    try:
        req = await requests.open_request(conn, member_id=who.member_id,
                                          family_id=p["family_id"], kind=Kind.CONTACT_CHANGE,
                                          details={"field": field}, now=now)
    except requests.RequestOpen:
        raise request_open(Kind.CONTACT_CHANGE) from None
    request_id = req["request_id"]
    await codes.charge(conn, now=now, pepper=pepper, member_id=who.member_id, channel=channel,
                       destination=value)
    code, state = codes.issue(now, pepper, str(request_id))
    await contact_codes.insert(conn, request_id, channel, value, state)
    return await _send(conn, req, p, channel, value, code, state, seal_key)


async def _send(conn: asyncpg.Connection, req: asyncpg.Record, p: asyncpg.Record, channel: str,
                value: str, code: str, state: otp.CodeState,
                seal_key: SecretStr) -> dict[str, Any]:
    """Stage the event that carries the code (sealed) to notify; the answer the member sees."""
    await stage(conn, events.ContactCodeIssued(
        request_id=req["request_id"], member_id=req["member_id"], channel=channel,
        destination=value, code_sealed=seal(seal_key, code), expires_at=state.expires_at,
        locale=p["locale"], full_name=p["full_name"]), str(req["member_id"]))
    return {"request_id": str(req["request_id"]), "status": "received", "channel": channel,
            "destination": contact.mask_email(value) if channel == "email"
            else contact.mask_phone(value), "expires_at": state.expires_at.isoformat(),
            "resend_after": (state.issued_at + rules.RESEND_COOLDOWN).isoformat()}


_CANCELLED = Decision.reject("cancelled_by_member", "You cancelled this change.",
                             "Anda membatalkan perubahan ini.")
_SUPERSEDED = Decision.reject(
    "contact_code_unusable", "Its code had expired or was locked; a newer change replaced it.",
    "Kodenya sudah kedaluwarsa atau terkunci; diganti perubahan yang lebih baru.")


def _usable(state: otp.CodeState, now: datetime) -> bool:
    return not state.locked and now < state.expires_at


async def _close_dead(conn: asyncpg.Connection, member_id: uuid.UUID, now: datetime) -> None:
    """An open change whose code expired or locked no longer blocks a new one: it closes
    (rejected by rule), so the one-open-request rule never leaves the member stuck."""
    req = await requests.open_of_kind_for_update(conn, member_id, Kind.CONTACT_CHANGE)
    if req is None:
        return
    _, state = await contact_codes.get(conn, req["request_id"])
    if not _usable(state, now):
        await requests.move(conn, req, [Status.REJECTED], now, decision=_SUPERSEDED,
                            decided_by="rule")


async def _waiting(conn: asyncpg.Connection, who: AccessClaims,
                   request_id: uuid.UUID) -> asyncpg.Record:
    """The member's own contact change still waiting for its code, locked; else 404 / 409."""
    req = await requests.for_update(conn, request_id)
    if req is None or req["member_id"] != who.member_id or req["kind"] != Kind.CONTACT_CHANGE:
        raise NotFound("request_not_found", "No such request.", "Permintaan tidak ditemukan.")
    if req["status"] != Status.RECEIVED:
        raise Conflict("request_closed", "This change is no longer waiting for a code.",
                       "Perubahan ini tidak lagi menunggu kode.")
    return req


async def resend_contact_code(conn: asyncpg.Connection, cmd: ResendContactCode, *,
                              now: datetime, pepper: SecretStr,
                              seal_key: SecretStr) -> dict[str, Any]:
    """A new code to the same new contact (at most once a minute); it also unlocks a change
    locked by wrong codes, with its attempts starting over."""
    req = await _waiting(conn, cmd.member, cmd.request_id)
    destination, state = await contact_codes.get(conn, cmd.request_id)
    if wait := otp.resend_wait(state.issued_at, now):
        raise TooMany("resend_too_soon", f"Wait {wait} s before asking for a new code.",
                      f"Tunggu {wait} detik sebelum meminta kode baru.", retry_after=wait)
    field = req["details"]["field"]
    if await accounts.contact_taken(conn, field, destination):
        raise contact_taken(field)
    code, new_state = codes.issue(now, pepper, str(cmd.request_id))
    await contact_codes.replace(conn, cmd.request_id, new_state)
    p = await participants.profile(conn, cmd.member.member_id)
    return await _send(conn, req, p, "email" if field == "email" else "sms", destination, code,
                       new_state, seal_key)


async def cancel_contact_change(conn: asyncpg.Connection, cmd: CancelContactChange, *,
                                now: datetime) -> dict[str, Any]:
    """The member withdraws a change waiting for its code (to give another contact)."""
    req = await _waiting(conn, cmd.member, cmd.request_id)
    status = await requests.move(conn, req, [Status.REJECTED], now, decision=_CANCELLED,
                                 decided_by="member")
    return {"request_id": str(cmd.request_id), "status": status.value,
            "rule": _CANCELLED.rule}


async def verify_contact_change(conn: asyncpg.Connection, cmd: VerifyContactChange, *,
                                now: datetime, pepper: SecretStr) -> dict[str, Any]:
    """The right code makes the new contact the login contact; a wrong one is counted."""
    who, request_id = cmd.member, cmd.request_id
    req = await _waiting(conn, who, request_id)
    destination, state = await contact_codes.get(conn, request_id)
    result = codes.attempt(state, cmd.code, now, pepper, str(request_id))
    await contact_codes.save_attempts(conn, request_id, result.state)
    if result.outcome is not otp.Outcome.VERIFIED:
        raise codes.refusal(result.outcome, result.attempts_left)
    field = req["details"]["field"]
    row = await accounts.set_login_contact(conn, who.account_id, field, destination)
    if row is None:
        raise contact_taken(field)
    await requests.move(conn, req, [Status.APPROVED, Status.APPLIED], now)
    await stage(conn, events.ContactChanged(member_id=who.member_id, email=row["email"],
                                            phone=row["phone"], locale=row["locale"]),
                str(who.member_id))
    return {"request_id": str(request_id), "status": "applied", field: row[field]}
