"""What routes take besides their body: the caller, the time, the settings, the database and
the Idempotency-Key guard (`Annotated` aliases, so route signatures stay readable).

Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop per request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import asyncpg
import jwt
from fastapi import Depends, Header, Request

from common.idempotency import Guard, IdempotencyKey, set_principal
from common.problems import Problem
from common.runtime import RuntimeDep
from services.membership import tokens
from services.membership.settings import Settings


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


def _token(authorization: str | None) -> str:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Problem(401, "not_authenticated", "Log in first (Authorization: Bearer).",
                      detail_id="Silakan masuk terlebih dahulu.",
                      headers={"WWW-Authenticate": "Bearer"})
    return authorization[7:].strip()


def _invalid() -> Problem:
    return Problem(401, "token_invalid", "The access token is invalid or expired.",
                   detail_id="Token akses tidak berlaku atau kedaluwarsa.",
                   headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


async def _member(request: Request, s: Annotated[Settings, Depends(_settings)],
                  authorization: Annotated[str | None, Header()] = None) -> tokens.AccessClaims:
    """The logged-in member's claims."""
    try:
        claims = tokens.read_access(s.jwt_secret, _token(authorization))
    except jwt.PyJWTError:
        raise _invalid() from None
    set_principal(request, f"account:{claims.account_id}")
    return claims


async def _officer(request: Request, s: Annotated[Settings, Depends(_settings)],
                   authorization: Annotated[str | None, Header()] = None) -> str:
    """The logged-in officer's username."""
    try:
        username = tokens.read_staff(s.jwt_secret, _token(authorization))
    except jwt.PyJWTError:
        raise _invalid() from None
    set_principal(request, f"officer:{username}")
    return username


SettingsDep = Annotated[Settings, Depends(_settings)]
Now = Annotated[datetime, Depends(_now)]
Db = Annotated[asyncpg.Pool, Depends(_db)]
Guarded = Annotated[Guard, Depends(_guard)]
Member = Annotated[tokens.AccessClaims, Depends(_member)]
Officer = Annotated[str, Depends(_officer)]
