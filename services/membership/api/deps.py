"""What routes take besides their body: the caller, the time, the settings, the database and
the Idempotency-Key guard (`Annotated` aliases, so route signatures stay readable).

Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop per request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request

from common.bearer import revoked, verified
from common.idempotency import Guard, IdempotencyKey, set_principal
from common.revocation import RevokedSessions
from common.runtime import RuntimeDep
from services.membership import tokens
from services.membership.settings import Settings
from services.membership.store import accounts


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


def _revoked_sessions(request: Request, s: Settings) -> RevokedSessions:
    """This process's set of ended sessions (one per app)."""
    state = request.app.state
    if getattr(state, "revoked_sessions", None) is None:
        state.revoked_sessions = RevokedSessions(s.revocation_refresh_seconds,
                                                 accounts.revoked_since)
    return state.revoked_sessions


async def _member(request: Request, rt: RuntimeDep, s: Annotated[Settings, Depends(_settings)],
                  authorization: Annotated[str | None, Header()] = None) -> tokens.AccessClaims:
    """The logged-in member's claims, unless their session was ended; names them as the
    caller of the Idempotency-Key."""
    claims = verified(tokens.read_access, s.jwt_secret, authorization)
    if claims.sid and await _revoked_sessions(request, s).contains(rt.pool, claims.sid,
                                                                   rt.clock.now()):
        raise revoked()
    set_principal(request, f"account:{claims.account_id}")
    return claims


async def _maybe_member(request: Request, s: Annotated[Settings, Depends(_settings)],
                        authorization: Annotated[str | None, Header()] = None,
                        ) -> tokens.AccessClaims | None:
    """The caller's claims if an access token came (logout: an ended one may end again)."""
    if authorization is None:
        return None
    claims = verified(tokens.read_access, s.jwt_secret, authorization)
    set_principal(request, f"account:{claims.account_id}")
    return claims


async def _officer(request: Request, s: Annotated[Settings, Depends(_settings)],
                   authorization: Annotated[str | None, Header()] = None) -> str:
    """The logged-in officer's username."""
    username = verified(tokens.read_staff, s.jwt_secret, authorization)
    set_principal(request, f"officer:{username}")
    return username


SettingsDep = Annotated[Settings, Depends(_settings)]
Now = Annotated[datetime, Depends(_now)]
Db = Annotated[asyncpg.Pool, Depends(_db)]
Guarded = Annotated[Guard, Depends(_guard)]
Member = Annotated[tokens.AccessClaims, Depends(_member)]
MaybeMember = Annotated[tokens.AccessClaims | None, Depends(_maybe_member)]
Officer = Annotated[str, Depends(_officer)]
