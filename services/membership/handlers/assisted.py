"""Assisted service at the branch kiosk: an officer asks for the member's consent (a code sent
to the member's own login contact), may act for them once the member gives it (kiosk_requests)
and closes the session when done. Every step is audited."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import SecretStr

from common.errors import Conflict, NotFound
from common.sealing import seal
from contracts import events
from services.membership.domain import assisted as kiosk
from services.membership.domain import contact, otp
from services.membership.domain import staff as rules
from services.membership.domain.audit import Action
from services.membership.handlers import audit, codes
from services.membership.handlers.commands import (
    CloseAssistedSession,
    ConfirmAssistedSession,
    StartAssistedSession,
)
from services.membership.store import assisted_sessions
from services.membership.store.events import stage


async def start_assisted_session(conn: asyncpg.Connection, cmd: StartAssistedSession, *,
                                 now: datetime, pepper: SecretStr,
                                 seal_key: SecretStr) -> dict[str, Any]:
    """Send the card holder of the officer's branch a consent code; the session waits for it."""
    desk = await audit.active_staff(conn, cmd.officer)
    member = await assisted_sessions.member_by_card(conn, cmd.card_number)
    if member is None:
        raise NotFound("member_not_found", "No member holds this card.",
                       "Tidak ada peserta dengan kartu ini.", field="card_number")
    member_id = member["member_id"]
    await audit.ensure_own_branch(conn, desk, member_id)
    channel, destination = rules.consent_contact(member["email"], member["phone"])
    await codes.charge(conn, now=now, pepper=pepper, member_id=member_id, channel=channel,
                       destination=destination)
    session_id = uuid.uuid4()
    code, state = codes.issue(now, pepper, str(session_id))
    await assisted_sessions.insert(conn, session_id, member_id, desk["staff_id"], channel, state)
    await stage(conn, events.ContactCodeIssued(
        request_id=session_id, purpose="assisted_session", member_id=member_id,
        channel=channel, destination=destination, code_sealed=seal(seal_key, code),
        expires_at=state.expires_at, locale=member["locale"], full_name=member["full_name"]),
        str(member_id))
    await audit.record(conn, desk, Action.START_ASSISTED_SESSION,
                       [(member_id, str(session_id))], now=now)
    return {"session_id": str(session_id), "status": "waiting_for_consent", "channel": channel,
            "destination": contact.mask_email(destination) if channel == "email"
            else contact.mask_phone(destination), "expires_at": state.expires_at.isoformat()}


async def confirm_assisted_session(conn: asyncpg.Connection, cmd: ConfirmAssistedSession, *,
                                   now: datetime, pepper: SecretStr) -> dict[str, Any]:
    """The member's code opens the session the same officer started; a wrong one is counted."""
    desk = await audit.active_staff(conn, cmd.officer)
    found = await assisted_sessions.for_update(conn, cmd.session_id)
    if found is None or found[0]["staff_id"] != desk["staff_id"]:
        raise kiosk.not_found()
    session, state = found
    if session["closed_at"] is not None:
        raise kiosk.closed()
    if session["opened_at"] is not None:
        raise Conflict("session_already_open", "This session is already open.",
                       "Sesi ini sudah dibuka.")
    result = codes.attempt(state, cmd.code, now, pepper, str(cmd.session_id))
    await assisted_sessions.save_attempts(conn, cmd.session_id, result.state)
    if result.outcome is not otp.Outcome.VERIFIED:
        raise codes.refusal(result.outcome, result.attempts_left)
    await assisted_sessions.open_(conn, cmd.session_id, now)
    await audit.record(conn, desk, Action.OPEN_ASSISTED_SESSION,
                       [(session["member_id"], str(cmd.session_id))], now=now)
    return {"session_id": str(cmd.session_id), "status": "open",
            "member_id": str(session["member_id"]), "opened_at": now.isoformat()}


async def close_assisted_session(conn: asyncpg.Connection, cmd: CloseAssistedSession, *,
                                 now: datetime) -> dict[str, Any]:
    """The officer is done: nothing more is done for the member in this session (closing a
    closed one answers the same)."""
    desk = await audit.active_staff(conn, cmd.officer)
    found = await assisted_sessions.for_update(conn, cmd.session_id)
    if found is None or found[0]["staff_id"] != desk["staff_id"]:
        raise kiosk.not_found()
    session = found[0]
    closed_at = session["closed_at"]
    if closed_at is None:
        closed_at = now
        await assisted_sessions.close(conn, cmd.session_id, now)
        await audit.record(conn, desk, Action.CLOSE_ASSISTED_SESSION,
                           [(session["member_id"], str(cmd.session_id))], now=now)
    return {"session_id": str(cmd.session_id), "status": "closed",
            "closed_at": closed_at.isoformat()}
