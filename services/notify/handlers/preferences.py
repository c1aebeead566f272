"""The member's notification preferences and push devices."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from common.errors import InvalidInput
from services.notify.domain.preferences import MemberPreferences
from services.notify.domain.quiet import QuietHours
from services.notify.domain.routing import Channel, Preferences
from services.notify.store import members


def view(p: MemberPreferences) -> dict:
    code = p.routing.code_channel
    return {
        "code_channel": code.value if code else None,
        "disabled": sorted(c.value for c in p.routing.disabled),
        "language": p.routing.language if p.chosen_language else None,
        "quiet_hours": {"start": p.quiet.start.strftime("%H:%M"),
                        "end": p.quiet.end.strftime("%H:%M")},
        "chat_opt_in": p.chat_opt_in,
    }


async def get(pool: asyncpg.Pool, member_id: uuid.UUID) -> dict:
    return view(await members.preferences(pool, member_id))


def _built(code_channel: str | None, disabled: list[str], language: str | None,
           quiet: QuietHours, chat_opt_in: bool) -> MemberPreferences:
    if code_channel is not None and code_channel in disabled:
        # Codes are never held back by `disabled`; choosing a channel for them and turning it
        # off in one request is a contradiction worth naming.
        raise InvalidInput("code_channel_disabled",
                           "The channel chosen for codes cannot also be turned off.",
                           "Saluran untuk kode tidak boleh dimatikan.", field="disabled")
    return MemberPreferences(
        Preferences(Channel(code_channel) if code_channel else None,
                    frozenset(Channel(c) for c in disabled), language or "id"),
        quiet, chat_opt_in, chosen_language=language is not None)


async def put(conn: asyncpg.Connection, member_id: uuid.UUID, *, code_channel: str | None,
              disabled: list[str], language: str | None, quiet: QuietHours, chat_opt_in: bool,
              now: datetime) -> dict:
    """Replace the member's preferences whole (PUT); answers what is now kept."""
    p = _built(code_channel, disabled, language, quiet, chat_opt_in)
    await members.save_preferences(conn, member_id, p, now)
    return view(p)


async def register_device(conn: asyncpg.Connection, member_id: uuid.UUID,
                          sid: uuid.UUID | None, token: str, platform: str, *,
                          now: datetime) -> dict:
    """Push reaches this device until its session logs out or FCM says the token is gone."""
    await members.register_device(conn, member_id, sid, token, platform, now)
    return {"platform": platform, "registered_at": now}
