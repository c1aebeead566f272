"""Changing a login contact: a code goes to the NEW email or phone, and only the right code
makes it replace the old one (so a typo can never lock a member out)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from pydantic import SecretStr

from common.errors import Conflict, InvalidInput, NotFound
from common.sealing import seal
from contracts import events
from services.membership.domain import contact, otp
from services.membership.domain.requests import Kind, Status
from services.membership.handlers import codes
from services.membership.handlers.commands import StartContactChange, VerifyContactChange
from services.membership.handlers.registration import contact_taken
from services.membership.handlers.requests import request_open
from services.membership.store import accounts, contact_codes, participants, requests
from services.membership.store.events import stage


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
    await stage(conn, events.ContactCodeIssued(
        request_id=request_id, member_id=who.member_id, channel=channel, destination=value,
        code_sealed=seal(seal_key, code), expires_at=state.expires_at, locale=p["locale"],
        full_name=p["full_name"]), str(who.member_id))
    return {"request_id": str(request_id), "status": "received", "channel": channel,
            "destination": contact.mask_email(value) if channel == "email"
            else contact.mask_phone(value), "expires_at": state.expires_at.isoformat()}


async def verify_contact_change(conn: asyncpg.Connection, cmd: VerifyContactChange, *,
                                now: datetime, pepper: SecretStr) -> dict[str, Any]:
    """The right code makes the new contact the login contact; a wrong one is counted."""
    who, request_id = cmd.member, cmd.request_id
    req = await requests.for_update(conn, request_id)
    if req is None or req["member_id"] != who.member_id or req["kind"] != Kind.CONTACT_CHANGE:
        raise NotFound("request_not_found", "No such request.", "Permintaan tidak ditemukan.")
    if req["status"] != Status.RECEIVED:
        raise Conflict("request_closed", "This change is no longer waiting for a code.",
                       "Perubahan ini tidak lagi menunggu kode.")
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
