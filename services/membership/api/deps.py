"""What routes take besides their body: the caller, the time, the settings, the database and
the Idempotency-Key guard (`Annotated` aliases, so route signatures stay readable).

Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop per request.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

import asyncpg
import jwt
from fastapi import Depends, Header, Request
from pydantic import SecretStr

from common.idempotency import Guard, IdempotencyKey, set_principal
from common.problems import Problem
from common.runtime import RuntimeDep
from services.membership import tokens
from services.membership.api.revocation import RevokedSessions
from services.membership.settings import Settings

T = TypeVar("T")


async def _settings(rt: RuntimeDep) -> Settings:
    return rt.settings


async def _now(rt: RuntimeDep) -> datetime:
    return rt.clock.now()


async def _db(rt: RuntimeDep) -> asyncpg.Pool:
    # Queries run on the pool itself (a connection per statement): no transaction to hold.
    return rt.pool


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    s: Settings = rt.settings
    return Guard(rt.pool, request, key, secret=s.code_pepper, seal_key=s.seal_key)


def _bearer(authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Problem(401, "not_authenticated", "Log in first (Authorization: Bearer).",
                      detail_id="Silakan masuk terlebih dahulu.",
                      headers={"WWW-Authenticate": "Bearer"})
    return authorization[7:].strip()


def _verified(read: Callable[[SecretStr, str], T], s: Settings,
              authorization: str | None) -> T:
    """The token's claims by `read`, or 401 token_invalid."""
    try:
        return read(s.jwt_secret, _bearer(authorization))
    except jwt.PyJWTError:
        raise Problem(401, "token_invalid", "The access token is invalid or expired.",
                      detail_id="Token akses tidak berlaku atau kedaluwarsa.",
                      headers={"WWW-Authenticate": 'Bearer error="invalid_token"'}) from None


def _revoked_sessions(request: Request, s: Settings) -> RevokedSessions:
    """This process's set of ended sessions (one per app)."""
    state = request.app.state
    if getattr(state, "revoked_sessions", None) is None:
        state.revoked_sessions = RevokedSessions(s.revocation_refresh_seconds)
    return state.revoked_sessions


def _revoked() -> Problem:
    return Problem(401, "token_revoked", "This session was ended (logout, password change or a "
                   "reused refresh token); log in again.",
                   detail_id="Sesi ini sudah diakhiri; silakan masuk kembali.",
                   headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


async def _member(request: Request, rt: RuntimeDep, s: Annotated[Settings, Depends(_settings)],
                  authorization: Annotated[str | None, Header()] = None) -> tokens.AccessClaims:
    """The logged-in member's claims, unless their session was ended; names them as the
    caller of the Idempotency-Key."""
    claims = _verified(tokens.read_access, s, authorization)
    if claims.sid and await _revoked_sessions(request, s).contains(rt.pool, claims.sid,
                                                                   rt.clock.now()):
        raise _revoked()
    set_principal(request, f"account:{claims.account_id}")
    return claims


async def _maybe_member(request: Request, s: Annotated[Settings, Depends(_settings)],
                        authorization: Annotated[str | None, Header()] = None,
                        ) -> tokens.AccessClaims | None:
    """The caller's claims if an access token came (logout: an ended one may end again)."""
    if authorization is None:
        return None
    claims = _verified(tokens.read_access, s, authorization)
    set_principal(request, f"account:{claims.account_id}")
    return claims


async def _officer(request: Request, s: Annotated[Settings, Depends(_settings)],
                   authorization: Annotated[str | None, Header()] = None) -> str:
    """The logged-in officer's username."""
    username = _verified(tokens.read_staff, s, authorization)
    set_principal(request, f"officer:{username}")
    return username


SettingsDep = Annotated[Settings, Depends(_settings)]
Now = Annotated[datetime, Depends(_now)]
Db = Annotated[asyncpg.Pool, Depends(_db)]
Guarded = Annotated[Guard, Depends(_guard)]
Member = Annotated[tokens.AccessClaims, Depends(_member)]
MaybeMember = Annotated[tokens.AccessClaims | None, Depends(_maybe_member)]
Officer = Annotated[str, Depends(_officer)]
