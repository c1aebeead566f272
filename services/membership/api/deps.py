"""What routes take besides their body: the caller, the time, the settings, the database and
the Idempotency-Key guard (`Annotated` aliases, so route signatures stay readable).

Async on purpose: FastAPI runs plain `def` dependencies in a thread pool, a hop per request.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from common.bearer import verified
from common.idempotency import Guard, IdempotencyKey, set_principal
from common.route_deps import Db, Now, member_dependency, staff_aliases
from common.runtime import RuntimeDep
from services.membership import tokens
from services.membership.settings import Settings
from services.membership.store import accounts, staff

__all__ = ["Db", "Guarded", "MaybeMember", "Member", "Now", "Officer", "SettingsDep", "member_of",
           "Supervisor"]


async def _settings(rt: RuntimeDep) -> Settings:
    return rt.settings


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    s: Settings = rt.settings
    return Guard(rt.pool, request, key, secret=s.code_pepper, seal_key=s.seal_key)


_member = member_dependency(accounts.revoked_since)


async def member_of(request: Request):
    """The logged-in member, for a route that takes no dependency (GET /v1/me, the app's most
    frequent call): the same check as `Member`, called directly."""
    return await _member(request, request.headers.get("authorization"))


async def _maybe_member(request: Request, s: Annotated[Settings, Depends(_settings)],
                        authorization: Annotated[str | None, Header()] = None,
                        ) -> tokens.AccessClaims | None:
    """The caller's claims if an access token came (logout: an ended one may end again)."""
    if authorization is None:
        return None
    claims = verified(tokens.read_access, s.jwt_secret, authorization)
    set_principal(request, f"account:{claims.account_id}")
    return claims


SettingsDep = Annotated[Settings, Depends(_settings)]
Guarded = Annotated[Guard, Depends(_guard)]
Member = Annotated[tokens.AccessClaims, Depends(_member)]
# Membership disables accounts itself: its own staff table says which.
Officer, Supervisor = staff_aliases(staff.disabled_since)
MaybeMember = Annotated[tokens.AccessClaims | None, Depends(_maybe_member)]
