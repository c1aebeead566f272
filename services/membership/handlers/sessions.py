"""Sessions: password login with any of a member's usernames (throttled per username), refresh
rotation with a short reuse grace, logout, password change, and the branch officer's login.

A login family is one password login and every pair refreshed from it; its id is the access
token's `sid`, so ending the family ends its access tokens too (common/revocation.py)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import uuid
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from pydantic import SecretStr

from common.errors import TooMany, Unauthenticated, WrongCode
from common.sealing import seal, unseal
from contracts import events
from services.membership import tokens
from services.membership.domain import budgets as limits
from services.membership.domain import contact, password, rules
from services.membership.domain.errors import RuleViolation
from services.membership.handlers.commands import (
    ChangePassword,
    LogIn,
    LogInOfficer,
    LogOut,
    RefreshSession,
)
from services.membership.store import accounts, budgets, staff
from services.membership.store.events import stage


def _invalid_login() -> Unauthenticated:
    # commit=True: the counted failure must stand although the answer is a refusal.
    return Unauthenticated("invalid_credentials", "Wrong username or password.",
                           "Nama pengguna atau kata sandi salah.", commit=True)


async def _end_session(conn: asyncpg.Connection, sid: uuid.UUID, now: datetime) -> None:
    """End one login family and tell every service that reads member tokens (SessionEnded),
    once: ending an ended session again stages nothing."""
    if (member_id := await accounts.revoke_login_family(conn, sid, now)) is not None:
        await stage(conn, events.SessionEnded(member_id=member_id, sid=sid, ended_at=now),
                    str(member_id))


def _refresh_invalid() -> Unauthenticated:
    return Unauthenticated("refresh_token_invalid", "This refresh token is not valid; log in.",
                           "Token tidak berlaku; silakan masuk kembali.")


async def _grant(conn: asyncpg.Connection, jwt_secret: SecretStr, account_id: uuid.UUID,
                 member_id: uuid.UUID, family_id: uuid.UUID, now: datetime) -> dict[str, Any]:
    """A new access token and refresh token (the latter stored hashed, in the login family)."""
    token, token_hash = tokens.new_refresh_token()
    await accounts.insert_refresh_token(
        conn, token_hash=token_hash, account_id=account_id, family_id=family_id, issued_at=now,
        expires_at=now + rules.REFRESH_TOKEN_TTL)
    access = tokens.issue_access(
        jwt_secret, tokens.AccessClaims(account_id, member_id, family_id), now)
    return {"access_token": access, "token_type": "bearer",
            "expires_in": int(rules.ACCESS_TOKEN_TTL.total_seconds()), "refresh_token": token,
            "refresh_expires_in": int(rules.REFRESH_TOKEN_TTL.total_seconds())}


def throttle_subject(pepper: SecretStr, username: str) -> str:
    """The throttle's key for a username as the member would type it in any form (a keyed
    hash: the table names nobody, and an unknown username is counted like a known one)."""
    kind, value = contact.classify_username(username)
    return hmac.new(pepper.get_secret_value().encode(), f"login:{kind}:{value}".encode(),
                    hashlib.sha256).hexdigest()


async def log_in(conn: asyncpg.Connection, cmd: LogIn, *, now: datetime, jwt_secret: SecretStr,
                 pepper: SecretStr) -> dict[str, Any]:
    """Password login with an email, phone, card number or NIK as the username."""
    subject = throttle_subject(pepper, cmd.username)
    if (until := await budgets.login_lock(conn, subject)) and until > now:
        # Refused before the password is checked: the right one waits too. Same answer for an
        # unknown username, so the wait says nothing about who has an account.
        wait = limits.seconds_up(until - now)
        raise TooMany("login_throttled",
                      f"Too many wrong passwords for this username; try again in {wait} s.",
                      f"Terlalu banyak kata sandi salah; coba lagi dalam {wait} detik.",
                      field="username", retry_after=wait)
    kind, value = contact.classify_username(cmd.username)
    account = await accounts.for_login(conn, kind, value)
    stored_hash = account["password_hash"] if account else None
    if not await asyncio.to_thread(tokens.check_password, stored_hash, cmd.password):
        failures = await budgets.count_login_failure(conn, subject)
        if wait := limits.login_wait(failures):
            await budgets.lock_login(conn, subject, now + wait)
            if account and failures == limits.FREE_LOGIN_FAILURES:
                # Told once per streak, when the waiting starts (not per try: a guesser must
                # not be able to flood the member's phone).
                await stage(conn, events.AccountLoginLocked(
                    member_id=account["member_id"], failures=failures, locked_until=now + wait,
                    locale=account["locale"]), str(account["member_id"]))
        raise _invalid_login()
    await budgets.clear_login_failures(conn, subject)
    if tokens.hasher.check_needs_rehash(stored_hash):
        await accounts.update_password_hash(
            conn, account["account_id"], await asyncio.to_thread(tokens.hash_password,
                                                                 cmd.password))
    return await _grant(conn, jwt_secret, account["account_id"], account["member_id"],
                        uuid.uuid4(), now)


async def refresh_session(conn: asyncpg.Connection, cmd: RefreshSession, *, now: datetime,
                          jwt_secret: SecretStr, seal_key: SecretStr,
                          grace: timedelta) -> dict[str, Any]:
    """Rotate a refresh token. The same token again within `grace` (a retry after a dropped
    answer) gets the same new pair; later, or once that pair was itself used, the reuse means
    the token leaked, and every token of its login is revoked."""
    row = await accounts.refresh_token_for_update(conn, tokens.refresh_hash(cmd.refresh_token))
    if row is None or row["revoked_at"] or row["expires_at"] <= now:
        raise _refresh_invalid()
    if row["used_at"]:
        if row["successor_sealed"] and now - row["used_at"] <= grace:
            pair = json.loads(unseal(seal_key, row["successor_sealed"]))
            if not await accounts.refresh_used(conn, tokens.refresh_hash(pair["refresh_token"])):
                return pair
        await _end_session(conn, row["family_id"], now)
        # commit=True: the revocation stands although the answer is a refusal.
        raise Unauthenticated(
            "refresh_token_reused",
            "This refresh token was already used; every session of this login was ended. "
            "Log in again.",
            "Token sudah pernah dipakai; semua sesi diakhiri. Silakan masuk kembali.",
            commit=True)
    pair = await _grant(conn, jwt_secret, row["account_id"], row["member_id"], row["family_id"],
                        now)
    await accounts.mark_refresh_used(conn, row["token_hash"], now, seal(seal_key,
                                                                        json.dumps(pair)))
    return pair


async def log_out(conn: asyncpg.Connection, cmd: LogOut, *, now: datetime) -> None:
    """End one login family: the refresh token's, else the access token's session. Logging
    out twice, or with a token already ended, is the same success."""
    family_id = cmd.sid
    if cmd.refresh_token:
        row = await accounts.refresh_token_for_update(conn,
                                                      tokens.refresh_hash(cmd.refresh_token))
        if row is None and family_id is None:
            raise _refresh_invalid()
        family_id = row["family_id"] if row else family_id
    if family_id is None:
        raise Unauthenticated("not_authenticated", "Give the refresh token or log in first.",
                              "Kirim token refresh atau masuk terlebih dahulu.")
    await _end_session(conn, family_id, now)


async def change_password(conn: asyncpg.Connection, cmd: ChangePassword, *,
                          now: datetime) -> None:
    """Replace the password; every OTHER login family ends (a thief's sessions go), the one
    changing it stays logged in (the member should not have to log in again on this phone)."""
    who = cmd.member
    acc = await accounts.password_check_data(conn, who.account_id)
    if acc is None:
        raise _refresh_invalid()
    if not await asyncio.to_thread(tokens.check_password, acc["password_hash"],
                                   cmd.current_password):
        raise WrongCode("current_password_wrong", "The current password is wrong.",
                        "Kata sandi saat ini salah.", field="current_password")
    try:
        password.check_password(cmd.new_password, nik=acc["nik"], birth_date=acc["birth_date"])
    except RuleViolation as e:  # the rule names `password`; this request calls it otherwise
        raise RuleViolation("new_password", e.rule, e.reason_en, e.reason_id) from None
    await accounts.update_password_hash(
        conn, who.account_id, await asyncio.to_thread(tokens.hash_password, cmd.new_password))
    for family_id in await accounts.families_of(conn, who.account_id, now):
        if family_id != who.sid:
            await _end_session(conn, family_id, now)


async def log_in_officer(conn: asyncpg.Connection, cmd: LogInOfficer, *, now: datetime,
                         jwt_secret: SecretStr) -> dict[str, Any]:
    """A staff password login; the token has the staff audience, the role and the branch.
    A disabled account is refused like a wrong password (after the same hashing time)."""
    row = await staff.login_row(conn, cmd.username)
    stored_hash = row["password_hash"] if row else None
    if not await asyncio.to_thread(tokens.check_password, stored_hash, cmd.password) \
            or row["disabled_at"] is not None:
        raise _invalid_login()
    return {"access_token": tokens.issue_staff(jwt_secret, cmd.username, now,
                                               role=row["role"], branch=row["branch"]),
            "token_type": "bearer", "role": row["role"]}
