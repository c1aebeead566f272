"""The facility partner API (domain.md §4 bridging): eligibility, referrals, visits, control
letters and back-referrals. Every call is signed and audited (common.partner_auth)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from common.partner_auth import SIGNED_PARAMETERS, answered
from services.referral.api.deps import PARTNERS
from services.referral.api.schemas import EligibilityQuery
from services.referral.domain.schedules import local_date
from services.referral.handlers import eligibility

router = APIRouter(prefix="/v1/partners/facility", tags=["partners"])

_TYPE_OF_KIND = {"fktp": "fktp", "hospital": "fkrtl"}


# The query is read by PARTNERS.parsed (a bad one is answered bridged), so it is documented here.
_QUERY = [
    {"name": "card_number", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{13}$"},
     "example": "0009900000055", "description": "the JKN card number (or give nik)"},
    {"name": "nik", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{16}$"},
     "description": "the NIK (or give card_number)"},
    {"name": "date", "in": "query", "schema": {"type": "string", "format": "date"},
     "example": "2026-12-01", "description": "the service date; today (WIB) when left out"},
]


@router.get("/eligibility", openapi_extra={"parameters": [*_QUERY, *SIGNED_PARAMETERS]})
async def check_eligibility(request: Request) -> Response:
    """Whether a member (by `card_number` or `nik`) may be served at the calling facility on
    `date` (today, WIB, when left out): eligible, or the reason (arrears, non_active,
    not_registered_here), with class, segment and registered FKTP."""
    # The facilities' hottest call: it takes no dependency for FastAPI to solve (a fifth of
    # its CPU in a profile); the signature, pool, clock and settings are read directly.
    partner = await PARTNERS.authenticate(request, "fktp", "hospital")
    rt = request.app.state.runtime
    db, s = rt.pool, rt.settings
    params = await PARTNERS.parsed(request, EligibilityQuery, dict(request.query_params), partner)
    on = params.date or local_date(rt.clock.now())

    async def answer(conn):
        q = eligibility.CheckEligibility(
            facility_code=partner.facility_code or "",
            facility_type=_TYPE_OF_KIND[partner.kind],
            on=on,
            card_number=params.card_number,
            nik=params.nik,
        )
        return await eligibility.check_eligibility(conn, q, digest_key=s.nik_digest_key)

    found = await PARTNERS.call(request, partner, db, answer, read_only=True)
    return answered(found)
