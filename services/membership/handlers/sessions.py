"""Sessions: password login with any of a member's usernames, refresh-token rotation, and the
branch officer's login."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import asyncpg
from pydantic import SecretStr

from common.errors import Unauthenticated
from services.membership import tokens
from services.membership.domain import contact, rules
from services.membership.handlers.commands import LogIn, LogInOfficer, RefreshSession
from services.membership.store import accounts


def _invalid_login() -> Unauthenticated:
    return Unauthenticated("invalid_credentials", "Wrong username or password.",
                           "Nama pengguna atau kata sandi salah.")


async def _grant(conn: asyncpg.Connection, jwt_secret: SecretStr, account_id: uuid.UUID,
                 member_id: uuid.UUID, family_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    """A new access token and refresh token (the latter stored hashed, in the login family)."""
    token, token_hash = tokens.new_refresh_token()
    await accounts.insert_refresh_token(
        conn, token_hash=token_hash, account_id=account_id, family_id=family_id, issued_at=now,
        expires_at=now + rules.REFRESH_TOKEN_TTL)
    access = tokens.issue_access(jwt_secret, tokens.AccessClaims(account_id, member_id), now)
    return {"access_token": access, "token_type": "bearer",
            "expires_in": int(rules.ACCESS_TOKEN_TTL.total_seconds()), "refresh_token": token,
            "refresh_expires_in": int(rules.REFRESH_TOKEN_TTL.total_seconds())}


async def log_in(conn: asyncpg.Connection, cmd: LogIn, *, now: datetime,
                 jwt_secret: SecretStr) -> dict[str, Any]:
    """Password login with an email, phone, card number or NIK as the username."""
    kind, value = contact.classify_username(cmd.username)
    account = await accounts.for_login(conn, kind, value)
    stored_hash = account["password_hash"] if account else None
    if not await asyncio.to_thread(tokens.check_password, stored_hash, cmd.password):
        raise _invalid_login()
    if tokens.hasher.check_needs_rehash(stored_hash):
        await accounts.update_password_hash(
            conn, account["account_id"], await asyncio.to_thread(tokens.hash_password,
                                                                 cmd.password))
    return await _grant(conn, jwt_secret, account["account_id"], account["member_id"],
                        uuid.uuid4(), now)


async def refresh_session(conn: asyncpg.Connection, cmd: RefreshSession, *, now: datetime,
                          jwt_secret: SecretStr) -> dict[str, Any]:
    """Rotate a refresh token; presenting a used one revokes every token of its login."""
    row = await accounts.refresh_token_for_update(conn, tokens.refresh_hash(cmd.refresh_token))
    if row is None or row["revoked_at"] or row["expires_at"] <= now:
        raise Unauthenticated("refresh_token_invalid", "This refresh token is not valid; log in.",
                              "Token tidak berlaku; silakan masuk kembali.")
    if row["used_at"]:
        await accounts.revoke_login_family(conn, row["family_id"], now)
        # commit=True: the revocation stands although the answer is a refusal.
        raise Unauthenticated(
            "refresh_token_reused",
            "This refresh token was already used; every session of this login was ended. "
            "Log in again.",
            "Token sudah pernah dipakai; semua sesi diakhiri. Silakan masuk kembali.",
            commit=True)
    await accounts.mark_refresh_used(conn, row["token_hash"], now)
    return await _grant(conn, jwt_secret, row["account_id"], row["member_id"], row["family_id"],
                        now)


async def log_in_officer(conn: asyncpg.Connection, cmd: LogInOfficer, *, now: datetime,
                         jwt_secret: SecretStr) -> dict[str, Any]:
    """A branch officer's password login; the token has the staff audience."""
    stored_hash = await accounts.staff_password_hash(conn, cmd.username)
    if not await asyncio.to_thread(tokens.check_password, stored_hash, cmd.password):
        raise _invalid_login()
    return {"access_token": tokens.issue_staff(jwt_secret, cmd.username, now),
            "token_type": "bearer"}
