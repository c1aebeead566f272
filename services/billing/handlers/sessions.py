"""Membership ended a session (SessionEnded): its access tokens are refused by billing too."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from contracts import Envelope, events
from services.billing.store import sessions


async def session_ended(conn: asyncpg.Connection, env: Envelope, e: events.SessionEnded,
                        now: datetime) -> None:
    await sessions.revoke(conn, e.sid, e.member_id, e.ended_at)
