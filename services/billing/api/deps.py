"""What billing's routes take besides their body: the caller (a member, an officer, or a
signed partner), the time, the settings, the database and the Idempotency-Key guard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from common.idempotency import Guard, IdempotencyKey
from common.member_tokens import AccessClaims
from common.route_deps import Db, Now, member_dependency, staff_aliases
from common.runtime import RuntimeDep
from services.billing.api.partner_auth import Partner, signed_partner
from services.billing.settings import Settings
from services.billing.store import sessions, staff

__all__ = ["BankPartner", "Db", "FacilityPartner", "Guarded", "Member", "Now", "Officer",
           "SettingsDep"]


async def _settings(rt: RuntimeDep) -> Settings:
    return rt.settings


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    s: Settings = rt.settings
    return Guard(rt.pool, request, key, secret=s.seal_key, seal_key=s.seal_key)


SettingsDep = Annotated[Settings, Depends(_settings)]
Guarded = Annotated[Guard, Depends(_guard)]
# Sessions membership ended reach billing as SessionEnded (handlers/sessions.py).
Member = Annotated[AccessClaims, Depends(member_dependency(sessions.revoked_since))]
# Accounts membership disabled reach billing as StaffDisabled (handlers/staff.py).
Officer, _ = staff_aliases(staff.disabled_since)
BankPartner = Annotated[Partner, Depends(signed_partner("bank"))]
FacilityPartner = Annotated[Partner, Depends(signed_partner("facility"))]
