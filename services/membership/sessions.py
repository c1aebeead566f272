"""Sessions: password login with any of a member's usernames, and refresh-token rotation."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from common.problems import Problem, problem_body
from common.runtime import Runtime
from services.membership import store, tokens
from services.membership.domain import contact, rules
from services.membership.domain.errors import RuleViolation
from services.membership.results import Result, violation
from services.membership.schemas import RefreshRequest, TokenPair, TokenRequest


async def _grant(rt: Runtime, conn, account_id, member_id, family_id, now) -> dict[str, Any]:
    token, token_hash = tokens.new_refresh_token()
    await store.insert_refresh_token(
        conn,
        token_hash=token_hash,
        account_id=account_id,
        family_id=family_id,
        issued_at=now,
        expires_at=now + rules.REFRESH_TOKEN_TTL,
    )
    access = tokens.issue_access(
        rt.settings.jwt_secret, tokens.AccessClaims(account_id, member_id), now
    )
    return TokenPair(
        access_token=access,
        expires_in=int(rules.ACCESS_TOKEN_TTL.total_seconds()),
        refresh_token=token,
        refresh_expires_in=int(rules.REFRESH_TOKEN_TTL.total_seconds()),
    ).model_dump(mode="json")


INVALID_LOGIN = Problem(
    401,
    "invalid_credentials",
    "Wrong username or password.",
    detail_id="Nama pengguna atau kata sandi salah.",
)


async def login(rt: Runtime, cmd: TokenRequest) -> Result:
    """Password login with an email, phone, card number or NIK as the username."""
    try:
        kind, value = contact.classify_username(cmd.username)
    except RuleViolation as v:
        raise violation(v) from None
    async with rt.pool.acquire() as conn:
        account = await store.account_for_login(conn, kind, value)
    stored_hash = account["password_hash"] if account else None
    if not await asyncio.to_thread(tokens.check_password, stored_hash, cmd.password):
        raise INVALID_LOGIN
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        if tokens.hasher.check_needs_rehash(stored_hash):
            await store.update_password_hash(
                conn,
                account["account_id"],
                await asyncio.to_thread(tokens.hash_password, cmd.password),
            )
        body = await _grant(
            rt, conn, account["account_id"], account["member_id"], uuid.uuid4(), now
        )
    return Result(200, body)


async def refresh(rt: Runtime, cmd: RefreshRequest) -> Result:
    """Rotate a refresh token; presenting a used one revokes every token of its login."""
    now = rt.clock.now()
    async with rt.pool.acquire() as conn, conn.transaction():
        row = await store.refresh_token_for_update(conn, tokens.refresh_hash(cmd.refresh_token))
        if row is None or row["revoked_at"] or row["expires_at"] <= now:
            raise Problem(
                401,
                "refresh_token_invalid",
                "This refresh token is not valid; log in.",
                detail_id="Token tidak berlaku; silakan masuk kembali.",
            )
        if row["used_at"]:
            await store.revoke_family(conn, row["family_id"], now)
            body = problem_body(
                401,
                "refresh_token_reused",
                "This refresh token was already used; every session of this "
                "login was ended. Log in again.",
                detail_id="Token sudah pernah dipakai; semua sesi diakhiri. Silakan masuk kembali.",
            )
            return Result(401, body)
        await store.mark_refresh_used(conn, row["token_hash"], now)
        body = await _grant(rt, conn, row["account_id"], row["member_id"], row["family_id"], now)
    return Result(200, body)
