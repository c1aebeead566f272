"""What membership tells notify about its members and staff: the newest contact, ended sessions
(whose access tokens notify refuses from now on, and whose push devices it forgets) and disabled
staff accounts (whose tokens it refuses from now on)."""

from __future__ import annotations

import asyncpg

from contracts import Envelope, events
from services.notify.domain.recipients import Contact
from services.notify.store import members, staff


async def on_contact_changed(
    conn: asyncpg.Connection, env: Envelope, e: events.ContactChanged
) -> None:
    await members.remember_contact(conn, e.member_id, Contact(e.email, e.phone, e.locale),
                                   env.occurred_at)


async def on_session_ended(conn: asyncpg.Connection, env: Envelope, e: events.SessionEnded,
                           ) -> None:
    """A logout removes the devices that session registered: a shared or sold phone stops
    showing the member's messages on its lock screen."""
    await members.end_session(conn, e.sid, e.member_id, e.ended_at)


async def on_staff_disabled(conn: asyncpg.Connection, env: Envelope, e: events.StaffDisabled,
                            ) -> None:
    await staff.disable(conn, e.username, e.disabled_at)
