"""Route dependencies every service shares: the time, the database, the logged-in member
(whose ended sessions are refused) and logged-in staff by role (`Annotated` aliases).

Each reads the service's runtime: `settings.jwt_secret` checks tokens and
`settings.revocation_refresh_seconds` bounds how stale the ended sessions may be. Async on
purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop per request. They read
the runtime off the request themselves rather than through `RuntimeDep`: every dependency
FastAPI solves costs a request CPU, and these run on nearly every call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Request

from common.bearer import revoked, verified
from common.errors import Forbidden
from common.idempotency import set_principal
from common.member_tokens import AccessClaims, read_access
from common.revocation import Loader, RevokedSessions
from common.runtime import Runtime
from common.staff_tokens import DESK, SUPERVISION, StaffClaims, read_staff


def _runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def _now(request: Request) -> datetime:
    return _runtime(request).clock.now()


async def _db(request: Request) -> asyncpg.Pool:
    # Queries run on the pool itself (a connection per statement): no transaction to hold.
    return _runtime(request).pool


def _revoked_sessions(request: Request, rt: Runtime, load: Loader) -> RevokedSessions:
    """This process's set of ended sessions (one per app)."""
    state = request.app.state
    if getattr(state, "revoked_sessions", None) is None:
        state.revoked_sessions = RevokedSessions(rt.settings.revocation_refresh_seconds, load)
    return state.revoked_sessions


def member_dependency(load: Loader) -> Callable[..., Awaitable[AccessClaims]]:
    """The dependency for the logged-in member: a valid access token whose session (`sid`)
    is not among those `load` reads as ended; it names the caller of the Idempotency-Key."""

    async def member(request: Request,
                     authorization: Annotated[str | None, Header()] = None) -> AccessClaims:
        rt = _runtime(request)
        claims = verified(read_access, rt.settings.jwt_secret, authorization)
        if claims.sid and await _revoked_sessions(request, rt, load).contains(
                rt.pool, claims.sid, rt.clock.now()):
            raise revoked()
        set_principal(request, f"account:{claims.account_id}")
        return claims

    return member


def staff_dependency(roles: frozenset[str]) -> Callable[..., Awaitable[StaffClaims]]:
    """The dependency for logged-in staff of one of `roles` (a staff token from membership's
    /v1/staff/token): 401 without a valid token, 403 for another role."""

    async def staff(request: Request,
                    authorization: Annotated[str | None, Header()] = None) -> StaffClaims:
        claims = verified(read_staff, _runtime(request).settings.jwt_secret, authorization)
        if claims.role not in roles:
            raise Forbidden("role_not_allowed", "Your staff role may not do this.",
                            "Peran staf Anda tidak diizinkan melakukan ini.")
        set_principal(request, f"officer:{claims.username}")
        return claims

    return staff


_desk = staff_dependency(DESK)


async def _officer(claims: Annotated[StaffClaims, Depends(_desk)]) -> str:
    """The username of staff working the desk (an officer or a supervisor)."""
    return claims.username


Now = Annotated[datetime, Depends(_now)]
Db = Annotated[asyncpg.Pool, Depends(_db)]
Officer = Annotated[str, Depends(_officer)]
DeskStaff = Annotated[StaffClaims, Depends(_desk)]
Supervisor = Annotated[StaffClaims, Depends(staff_dependency(SUPERVISION))]
