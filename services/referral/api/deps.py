"""What referral's routes take besides their body: the caller (a member, or a signed FKTP or
hospital partner), the time, the settings, the database and the Idempotency-Key guard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from common.idempotency import Guard, IdempotencyKey
from common.member_tokens import AccessClaims
from common.partner_auth import Partner, PartnerAuth
from common.revocation import ended_since
from common.route_deps import Db, Now, member_dependency
from common.runtime import RuntimeDep
from services.referral.handlers.partners import active_partners, record_call, record_reads
from services.referral.settings import Settings

__all__ = [
    "AnyFacility",
    "Db",
    "FktpPartner",
    "Guarded",
    "HospitalPartner",
    "Member",
    "Now",
    "PARTNERS",
    "SettingsDep",
]


async def _settings(rt: RuntimeDep) -> Settings:
    return rt.settings


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    s: Settings = rt.settings
    return Guard(rt.pool, request, key, secret=s.seal_key, seal_key=s.seal_key)


# Reads (eligibility, a referral looked up) audit in batches: the call is its one query.
PARTNERS = PartnerAuth(active_partners, record_call, record_reads)
SettingsDep = Annotated[Settings, Depends(_settings)]
Guarded = Annotated[Guard, Depends(_guard)]
# Sessions membership ended reach referral as SessionEnded (handlers/sessions.py).
Member = Annotated[AccessClaims, Depends(member_dependency(ended_since))]
FktpPartner = Annotated[Partner, Depends(PARTNERS.signed("fktp"))]
HospitalPartner = Annotated[Partner, Depends(PARTNERS.signed("hospital"))]
AnyFacility = Annotated[Partner, Depends(PARTNERS.signed("fktp", "hospital"))]
