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


class _CardGuard(Guard):
    """The guard that, once a member's own change has committed, drops their card from this
    process's cache at once, so their next GET /v1/me here shows it (the other processes drop
    it when the commit's notification reaches them)."""

    async def run(self, *args, **kwargs):
        try:
            return await super().run(*args, **kwargs)
        finally:
            principal = getattr(self.request.state, "principal", "")
            cards = self.request.app.state.runtime.extras.get("cards")
            if cards is not None and principal.startswith("account:"):
                cards.forget(principal.removeprefix("account:"))


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    s: Settings = rt.settings
    return _CardGuard(rt.pool, request, key, secret=s.code_pepper, seal_key=s.seal_key)


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
