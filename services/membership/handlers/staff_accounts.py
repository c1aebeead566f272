"""An admin's use cases on staff accounts (the `staff` CLI): create, disable, reset.

A new or reset account gets a generated password the CLI prints once: no password is ever
typed on a command line, stored anywhere but as a hash, or published.
"""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime

import asyncpg

from common.errors import Conflict, NotFound
from contracts import events
from services.membership import tokens
from services.membership.domain import staff as rules
from services.membership.handlers.commands import CreateStaff, DisableStaff, ResetStaffPassword
from services.membership.store import staff
from services.membership.store.events import stage

PASSWORD_BYTES = 12  # 16 URL-safe characters


def _no_account() -> NotFound:
    return NotFound("staff_not_found", "There is no staff account with that username.",
                    "Tidak ada akun staf dengan nama pengguna itu.", field="username")


async def _new_password_hash() -> tuple[str, str]:
    password = secrets.token_urlsafe(PASSWORD_BYTES)
    return password, await asyncio.to_thread(tokens.hash_password, password)


async def create_staff(conn: asyncpg.Connection, cmd: CreateStaff, *, now: datetime) -> str:
    """A new account of a role (and branch, for desk roles); returns its one-time password."""
    role = rules.role(cmd.role)
    branch = rules.branch(role, cmd.branch)
    password, password_hash = await _new_password_hash()
    if await staff.insert(conn, rules.username(cmd.username), rules.full_name(cmd.full_name), role,
                          branch, password_hash) is None:
        raise Conflict("username_taken", "That username is taken.",
                       "Nama pengguna itu sudah dipakai.", field="username")
    return password


async def disable_staff(conn: asyncpg.Connection, cmd: DisableStaff, *, now: datetime) -> None:
    """Refuse the account's logins from now on, and its tokens already issued everywhere
    (StaffDisabled; a second disable tells again, which changes nothing)."""
    disabled_at = await staff.disable(conn, cmd.username, now)
    if disabled_at is None:
        raise _no_account()
    await stage(conn, events.StaffDisabled(username=cmd.username, disabled_at=disabled_at),
                f"staff:{cmd.username}")


async def reset_password(conn: asyncpg.Connection, cmd: ResetStaffPassword, *,
                         now: datetime) -> str:
    """A new generated password for the account, which replaces the old one; returns it."""
    password, password_hash = await _new_password_hash()
    if not await staff.set_password(conn, cmd.username, password_hash):
        raise _no_account()
    return password
