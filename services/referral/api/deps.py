"""What referral's routes take besides their body: the caller (a member or a signed facility),
the time, the database and the Idempotency-Key guard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from common.idempotency import Guard, IdempotencyKey
from common.member_tokens import AccessClaims
from common.route_deps import Db, Now, member_dependency
from common.runtime import RuntimeDep
from services.referral.api.partner_auth import Partner, signed_partner
from services.referral.store import sessions

__all__ = ["Db", "FacilityPartner", "Guarded", "Member", "Now"]


async def _guard(request: Request, rt: RuntimeDep, key: IdempotencyKey = None) -> Guard:
    return Guard(rt.pool, request, key, secret=rt.settings.seal_key,
                 seal_key=rt.settings.seal_key)


Guarded = Annotated[Guard, Depends(_guard)]
# Sessions membership ended reach referral as SessionEnded.
Member = Annotated[AccessClaims, Depends(member_dependency(sessions.revoked_since))]
# A primary care facility or a hospital, signed with its cons-id (one facility each).
FacilityPartner = Annotated[Partner, Depends(signed_partner("fktp", "hospital"))]
