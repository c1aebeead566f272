"""What billing's routes take besides their body: the caller (a member, an officer, or a
signed partner), the time, the settings, the database and the Idempotency-Key guard.

Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop per request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request

from common.bearer import revoked, verified
from common.idempotency import Guard, IdempotencyKey, set_principal
from common.member_tokens import AccessClaims, read_access
from common.revocation import RevokedSessions
from common.runtime import RuntimeDep
from common.staff_tokens import read_staff
from services.billing.api.partner_auth import Partner, signed_partner
from services.billing.settings import Settings
from services.billing.store import sessions


async def _settings(rt: RuntimeDep) -> Settings:
    return rt.settings


async def _now(rt: RuntimeDep) -> datetime:
    return rt.clock.now()


async def _db(rt: RuntimeDep) -> asyncpg.Pool:
    # Queries run on the pool itself (a connection per statement): no transaction to hold.
    return rt.pool


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    s: Settings = rt.settings
    return Guard(rt.pool, request, key, secret=s.seal_key, seal_key=s.seal_key)


def _revoked_sessions(request: Request, s: Settings) -> RevokedSessions:
    """This process's set of sessions membership ended (one per app)."""
    state = request.app.state
    if getattr(state, "revoked_sessions", None) is None:
        state.revoked_sessions = RevokedSessions(s.revocation_refresh_seconds,
                                                 sessions.revoked_since)
    return state.revoked_sessions


async def _member(request: Request, rt: RuntimeDep, s: Annotated[Settings, Depends(_settings)],
                  authorization: Annotated[str | None, Header()] = None) -> AccessClaims:
    """The logged-in member's claims, unless membership ended their session; names them as
    the caller of the Idempotency-Key."""
    claims = verified(read_access, s.jwt_secret, authorization)
    if claims.sid and await _revoked_sessions(request, s).contains(rt.pool, claims.sid,
                                                                   rt.clock.now()):
        raise revoked()
    set_principal(request, f"account:{claims.account_id}")
    return claims


async def _officer(request: Request, s: Annotated[Settings, Depends(_settings)],
                   authorization: Annotated[str | None, Header()] = None) -> str:
    """The logged-in officer's username (a staff token from membership's /v1/staff/token)."""
    username = verified(read_staff, s.jwt_secret, authorization)
    set_principal(request, f"officer:{username}")
    return username


SettingsDep = Annotated[Settings, Depends(_settings)]
Now = Annotated[datetime, Depends(_now)]
Db = Annotated[asyncpg.Pool, Depends(_db)]
Guarded = Annotated[Guard, Depends(_guard)]
Member = Annotated[AccessClaims, Depends(_member)]
Officer = Annotated[str, Depends(_officer)]
BankPartner = Annotated[Partner, Depends(signed_partner("bank"))]
FacilityPartner = Annotated[Partner, Depends(signed_partner("facility"))]
