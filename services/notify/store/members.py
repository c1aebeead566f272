"""Who members are to notify: the address book, preferences, push devices, ended sessions."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.notify.domain.preferences import MemberPreferences
from services.notify.domain.quiet import QuietHours
from services.notify.domain.recipients import Contact
from services.notify.domain.routing import Channel, Preferences


async def contact(conn: asyncpg.Connection, member_id: uuid.UUID) -> Contact | None:
    """Where to reach a member, if notify has heard of them."""
    row = await conn.fetchrow(
        "SELECT email, phone, locale FROM contacts WHERE member_id = $1", member_id
    )
    return None if row is None else Contact(row["email"], row["phone"], row["locale"])


async def remember_contact(
    conn: asyncpg.Connection, member_id: uuid.UUID, c: Contact, as_of: datetime
) -> None:
    """Keep the newest contact per member: an older event arriving late changes nothing."""
    await conn.execute(
        "INSERT INTO contacts (member_id, email, phone, locale, updated_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (member_id) DO UPDATE SET"
        " email = EXCLUDED.email, phone = EXCLUDED.phone, locale = EXCLUDED.locale,"
        " updated_at = EXCLUDED.updated_at WHERE contacts.updated_at <= EXCLUDED.updated_at",
        member_id, c.email, c.phone, c.locale, as_of,
    )


async def preferences(conn: asyncpg.Connection | asyncpg.Pool,
                      member_id: uuid.UUID) -> MemberPreferences:
    """The member's choices, or the defaults when they never made any."""
    row = await conn.fetchrow("SELECT * FROM preferences WHERE member_id = $1", member_id)
    if row is None:
        return MemberPreferences()
    code = row["code_channel"]
    return MemberPreferences(
        routing=Preferences(Channel(code) if code else None,
                            frozenset(Channel(c) for c in row["disabled"]),
                            row["language"] or "id"),
        quiet=QuietHours(row["quiet_start"], row["quiet_end"]),
        chat_opt_in=row["chat_opt_in"],
        chosen_language=row["language"] is not None,
    )


async def save_preferences(conn: asyncpg.Connection, member_id: uuid.UUID,
                           p: MemberPreferences, now: datetime) -> None:
    code = p.routing.code_channel
    await conn.execute(
        "INSERT INTO preferences (member_id, code_channel, disabled, language, quiet_start,"
        " quiet_end, chat_opt_in, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (member_id) DO UPDATE SET code_channel = EXCLUDED.code_channel,"
        " disabled = EXCLUDED.disabled, language = EXCLUDED.language,"
        " quiet_start = EXCLUDED.quiet_start, quiet_end = EXCLUDED.quiet_end,"
        " chat_opt_in = EXCLUDED.chat_opt_in, updated_at = EXCLUDED.updated_at",
        member_id, code.value if code else None, sorted(c.value for c in p.routing.disabled),
        p.routing.language if p.chosen_language else None, p.quiet.start, p.quiet.end,
        p.chat_opt_in, now,
    )


async def devices(conn: asyncpg.Connection, member_id: uuid.UUID) -> tuple[str, ...]:
    rows = await conn.fetch(
        "SELECT token FROM devices WHERE member_id = $1 ORDER BY registered_at", member_id)
    return tuple(r["token"] for r in rows)


async def register_device(conn: asyncpg.Connection, member_id: uuid.UUID, sid: uuid.UUID | None,
                          token: str, platform: str, now: datetime) -> None:
    """A token belongs to the last member and session that registered it (a phone changes
    hands; the old owner's logout must not remove the new owner's registration)."""
    await conn.execute(
        "INSERT INTO devices (token, member_id, sid, platform, registered_at)"
        " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (token) DO UPDATE SET"
        " member_id = EXCLUDED.member_id, sid = EXCLUDED.sid, platform = EXCLUDED.platform,"
        " registered_at = EXCLUDED.registered_at", token, member_id, sid, platform, now)


async def forget_device(conn: asyncpg.Connection, token: str) -> None:
    await conn.execute("DELETE FROM devices WHERE token = $1", token)


async def end_session(conn: asyncpg.Connection, sid: uuid.UUID, member_id: uuid.UUID,
                      ended_at: datetime) -> int:
    """Refuse the session's tokens from now on, forget the devices it registered and drop the
    pushes still waiting for them (a logged-out phone shows nothing more); returns how many
    devices went."""
    await conn.execute(
        "INSERT INTO revoked_sessions (sid, member_id, ended_at) VALUES ($1, $2, $3)"
        " ON CONFLICT (sid) DO NOTHING", sid, member_id, ended_at)
    removed = [r["token"] for r in await conn.fetch(
        "DELETE FROM devices WHERE sid = $1 RETURNING token", sid)]
    if removed:
        await conn.execute(
            "UPDATE notifications SET status = 'failed', delivery_status = 'failed',"
            " last_error = 'device logged out' WHERE channel = 'push' AND status = 'pending'"
            " AND destination = ANY($1::text[])", removed)
    return len(removed)


async def revoked_since(pool: asyncpg.Pool | asyncpg.Connection,
                        since: datetime) -> set[uuid.UUID]:
    """Sessions ended since `since` (older ones have no live access token left)."""
    rows = await pool.fetch("SELECT sid FROM revoked_sessions WHERE ended_at > $1", since)
    return {r["sid"] for r in rows}
