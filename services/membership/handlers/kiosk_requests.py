"""Requests an officer starts for a member at the kiosk, inside the open assisted session the
member consented to: the member's own use case, called with the session's member, the request
kept as `channel=kiosk` with the officer and session, and the act audited in its transaction
(so the member sees it in their access log)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import asyncpg

from services.membership.domain import assisted as rules
from services.membership.domain.audit import Action
from services.membership.domain.requests import Kind
from services.membership.handlers import audit, requests
from services.membership.handlers.commands import (
    ActForMember,
    CorrectIdentity,
    RequestFaskesChange,
)
from services.membership.store import assisted_sessions
from services.membership.tokens import AccessClaims

# What an officer may start at the kiosk: the member's command and the use case serving it.
CASES: dict[str, tuple[type, Callable[..., Any]]] = {
    Kind.FASKES_CHANGE: (RequestFaskesChange, requests.request_faskes_change),
    Kind.IDENTITY_CORRECTION: (CorrectIdentity, requests.correct_identity),
}


async def act_for_member(conn: asyncpg.Connection, cmd: ActForMember, *,
                         now: datetime) -> dict[str, Any]:
    """Start the member's request of `cmd.kind` for them: decided or reviewed like their own."""
    desk = await audit.active_staff(conn, cmd.officer)
    session = await assisted_sessions.acting(conn, cmd.session_id)
    if session is None or session["staff_id"] != desk["staff_id"]:
        raise rules.not_found()
    rules.ensure_open(session["opened_at"], session["closed_at"], now)
    command, use_case = CASES[cmd.kind]
    member = AccessClaims(session["account_id"], session["member_id"])
    answer = await use_case(conn, command(member, **cmd.fields, on_behalf=rules.OnBehalf(
        desk["staff_id"], cmd.session_id)), now=now)
    await audit.record(conn, desk, Action.ASSISTED_REQUEST,
                       [(session["member_id"], answer["request_id"])], now=now)
    return answer | {"channel": rules.KIOSK}
