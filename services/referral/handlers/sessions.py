"""Membership ended a session (SessionEnded): its access tokens are refused by referral too."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from common.revocation import record_ended
from contracts import Envelope, events


async def session_ended(
    conn: asyncpg.Connection, env: Envelope, e: events.SessionEnded, now: datetime
) -> None:
    await record_ended(conn, e.sid, e.member_id, e.ended_at)
