"""The member's own routes: the inbox, notification preferences and push devices."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from services.notify.api.deps import Db, Guarded, Member, Now
from services.notify.api.schemas import (
    DeviceIn,
    DeviceOut,
    InboxPage,
    PreferencesIn,
    PreferencesOut,
    ReadAll,
    ReadOne,
)
from services.notify.domain.inbox import DEFAULT_LIMIT, MAX_LIMIT
from services.notify.domain.quiet import QuietHours
from services.notify.handlers import inbox, preferences

router = APIRouter(prefix="/v1/me", tags=["member"])


@router.get("/notifications", response_model=InboxPage)
async def notifications(who: Member, db: Db, cursor: Annotated[str | None, Query(
        max_length=200)] = None, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT):
    """The inbox, newest first; `next` pages on to older items."""
    return await inbox.page(db, who.member_id, cursor, limit)


@router.post("/notifications/read-all", response_model=ReadAll)
async def read_all(who: Member, guard: Guarded, now: Now):
    return await guard.run(None, lambda conn: inbox.read_all(conn, who.member_id, now=now))


@router.post("/notifications/{item_id}/read", response_model=ReadOne)
async def read_one(item_id: uuid.UUID, who: Member, guard: Guarded, now: Now):
    return await guard.run(None, lambda conn: inbox.read_one(conn, who.member_id, item_id,
                                                             now=now))


@router.get("/notification-preferences", response_model=PreferencesOut)
async def get_preferences(who: Member, db: Db):
    return await preferences.get(db, who.member_id)


@router.put("/notification-preferences", response_model=PreferencesOut)
async def put_preferences(body: PreferencesIn, who: Member, guard: Guarded, now: Now):
    quiet = QuietHours(body.quiet_hours.start, body.quiet_hours.end)
    return await guard.run(body, lambda conn: preferences.put(
        conn, who.member_id, code_channel=body.code_channel, disabled=list(body.disabled),
        language=body.language, quiet=quiet, chat_opt_in=body.chat_opt_in, now=now))


@router.post("/devices", status_code=201, response_model=DeviceOut)
async def register_device(body: DeviceIn, who: Member, guard: Guarded, now: Now):
    """Register this device's push token for the logged-in session."""
    return await guard.run(body, lambda conn: preferences.register_device(
        conn, who.member_id, who.sid, body.token, body.platform, now=now), status=201)
