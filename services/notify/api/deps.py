"""What notify's routes take besides their body: the member (ended sessions refused, from
SessionEnded), staff (disabled accounts refused, from StaffDisabled), the time, the settings,
the database and the Idempotency-Key guard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from common.idempotency import Guard, IdempotencyKey
from common.member_tokens import AccessClaims
from common.route_deps import Db, Now, member_dependency, staff_aliases
from common.runtime import RuntimeDep
from services.notify.settings import Settings
from services.notify.store import members, staff

__all__ = ["Db", "Guarded", "Member", "Now", "Officer", "SettingsDep"]


async def _settings(rt: RuntimeDep) -> Settings:
    return rt.settings


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    s: Settings = rt.settings
    return Guard(rt.pool, request, key, secret=s.seal_key, seal_key=s.seal_key)


SettingsDep = Annotated[Settings, Depends(_settings)]
Guarded = Annotated[Guard, Depends(_guard)]
Member = Annotated[AccessClaims, Depends(member_dependency(members.revoked_since))]
# Accounts membership disabled reach notify as StaffDisabled (handlers/members.py).
Officer, _ = staff_aliases(staff.disabled_since)
