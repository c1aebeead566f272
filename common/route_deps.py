"""Route dependencies every service shares: the time, the database, the logged-in member
(whose ended sessions are refused) and logged-in staff by role, whose disabled accounts are
refused (`Annotated` aliases).

Each reads the service's runtime: `settings.jwt_secret` checks tokens and
`settings.revocation_refresh_seconds` bounds how stale the ended sessions and disabled
accounts may be. Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop
per request. They read the runtime off the request themselves rather than through `RuntimeDep`:
every dependency FastAPI solves costs a request CPU, and these run on nearly every call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Header, Request

from common.bearer import revoked, staff_disabled, verified
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


def _revoked(request: Request, rt: Runtime, name: str, load: Loader) -> RevokedSessions:
    """This process's set `name` (ended sessions, disabled staff accounts; one per app)."""
    state = request.app.state
    if getattr(state, name, None) is None:
        setattr(state, name, RevokedSessions(rt.settings.revocation_refresh_seconds, load))
    return getattr(state, name)


def member_dependency(load: Loader) -> Callable[..., Awaitable[AccessClaims]]:
    """The dependency for the logged-in member: a valid access token whose session (`sid`)
    is not among those `load` reads as ended; it names the caller of the Idempotency-Key."""

    async def member(request: Request,
                     authorization: Annotated[str | None, Header()] = None) -> AccessClaims:
        rt = _runtime(request)
        claims = verified(read_access, rt.settings.jwt_secret, authorization)
        if claims.sid and await _revoked(request, rt, "revoked_sessions", load).contains(
                rt.pool, claims.sid, rt.clock.now()):
            raise revoked()
        set_principal(request, f"account:{claims.account_id}")
        return claims

    return member


def staff_dependency(roles: frozenset[str],
                     disabled: Loader) -> Callable[..., Awaitable[StaffClaims]]:
    """The dependency for logged-in staff of one of `roles` (a staff token from membership's
    /v1/staff/token): 401 without a valid token or once `disabled` reads the account as
    disabled (before the token expires), 403 for another role."""

    async def staff(request: Request,
                    authorization: Annotated[str | None, Header()] = None) -> StaffClaims:
        rt = _runtime(request)
        claims = verified(read_staff, rt.settings.jwt_secret, authorization)
        if await _revoked(request, rt, "disabled_staff", disabled).contains(
                rt.pool, claims.username, rt.clock.now()):
            raise staff_disabled()
        if claims.role not in roles:
            raise Forbidden("role_not_allowed", "Your staff role may not do this.",
                            "Peran staf Anda tidak diizinkan melakukan ini.")
        set_principal(request, f"officer:{claims.username}")
        return claims

    return staff


def staff_aliases(disabled: Loader) -> tuple[Any, Any]:
    """A service's (Officer, Supervisor) aliases: the username of staff working the desk (an
    officer or a supervisor), and a supervisor's claims; accounts `disabled` reads (the
    service's own StaffDisabled projection) are refused."""
    desk = staff_dependency(DESK, disabled)

    # A default, not an Annotated type: annotations are strings here, and `desk` is local.
    async def officer(claims: StaffClaims = Depends(desk)) -> str:
        return claims.username

    return (Annotated[str, Depends(officer)],
            Annotated[StaffClaims, Depends(staff_dependency(SUPERVISION, disabled))])


Now = Annotated[datetime, Depends(_now)]
Db = Annotated[asyncpg.Pool, Depends(_db)]
