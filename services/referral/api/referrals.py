"""Referral documents over HTTP: the FKTP issues, the member reads, the hospital looks up and
records visits, control letters and back-referrals. Parse, build a command, call a handler."""

from __future__ import annotations

from fastapi import APIRouter, Request

from common import bridging
from common.partner_docs import body_doc
from common.text import path_text
from services.referral.api.deps import (
    PARTNERS,
    AnyFacility,
    Db,
    FktpPartner,
    Guarded,
    HospitalPartner,
    Member,
    Now,
)
from services.referral.api.schemas import (
    BACK_REFERRAL_EXAMPLE,
    CONTROL_LETTER_EXAMPLE,
    REFERRAL_EXAMPLE,
    VISIT_EXAMPLE,
    BackReferralCreate,
    ControlLetterCreate,
    ReferralCreate,
    VisitCreate,
)
from services.referral.handlers import letters, referrals, visits

members = APIRouter(prefix="/v1/me", tags=["referrals"])
partners = APIRouter(prefix="/v1/partners/facility", tags=["partners"])
Number = path_text(32)


@members.get("/referrals")
async def my_referrals(who: Member, db: Db, now: Now) -> dict:
    """My referrals, newest first, each with its destination, poli, validity and status."""
    items = await referrals.my_referrals(db, who.member_id, now=now)
    return {"items": items, "count": len(items)}


@members.get("/referrals/{number}")
async def my_referral(number: Number, who: Member, db: Db, now: Now) -> dict:
    """One of my referrals; someone else's answers 404 like a missing one."""
    return await referrals.my_referral(db, who.member_id, number, now=now)


@partners.post("/referrals", openapi_extra=body_doc(ReferralCreate, REFERRAL_EXAMPLE))
async def issue_referral(request: Request, partner: FktpPartner, guard: Guarded, now: Now):
    """An FKTP refers one of its active members to a hospital poli (valid 90 days)."""
    body = await PARTNERS.parsed(request, ReferralCreate, await request.body(), partner)
    cmd = referrals.IssueReferral(partner.facility_code or "", **body.model_dump())
    return await PARTNERS.write(
        request, partner, guard, body, lambda conn: referrals.issue_referral(conn, cmd, now=now)
    )


@partners.get("/referrals/{number}")
async def look_up_referral(
    number: Number, request: Request, partner: AnyFacility, db: Db, now: Now
) -> dict:
    """A referral by number, for the hospital it sends the member to or the FKTP that issued
    it; an expired one says so with the reason."""
    found = await PARTNERS.call(
        request,
        partner,
        db,
        lambda conn: referrals.facility_referral(
            conn, partner.facility_code or "", number, now=now
        ),
        read_only=True,
    )
    return bridging.ok(found)


@partners.post("/visits", openapi_extra=body_doc(VisitCreate, VISIT_EXAMPLE))
async def record_visit(request: Request, partner: AnyFacility, guard: Guarded, now: Now):
    """A visit at the calling facility; at a hospital under a valid referral or control letter."""
    body = await PARTNERS.parsed(request, VisitCreate, await request.body(), partner)
    cmd = visits.RecordVisit(partner.facility_code or "", **body.model_dump())
    return await PARTNERS.write(
        request, partner, guard, body, lambda conn: visits.record_visit(conn, cmd, now=now)
    )


@partners.post(
    "/control-letters", openapi_extra=body_doc(ControlLetterCreate, CONTROL_LETTER_EXAMPLE)
)
async def issue_control_letter(
    request: Request, partner: HospitalPartner, guard: Guarded, now: Now
):
    """The referred hospital's control letter for one repeat visit within the referral."""
    body = await PARTNERS.parsed(request, ControlLetterCreate, await request.body(), partner)
    fields = body.model_dump()
    fields["planned_on"] = fields.pop("planned_date")
    cmd = letters.IssueControlLetter(partner.facility_code or "", **fields)
    return await PARTNERS.write(
        request, partner, guard, body, lambda conn: letters.issue_control_letter(conn, cmd, now=now)
    )


@partners.post(
    "/back-referrals", openapi_extra=body_doc(BackReferralCreate, BACK_REFERRAL_EXAMPLE)
)
async def issue_back_referral(request: Request, partner: HospitalPartner, guard: Guarded, now: Now):
    """The referred hospital returns a stable chronic patient to their FKTP (PRB)."""
    body = await PARTNERS.parsed(request, BackReferralCreate, await request.body(), partner)
    cmd = letters.IssueBackReferral(partner.facility_code or "", **body.model_dump())
    return await PARTNERS.write(
        request, partner, guard, body, lambda conn: letters.issue_back_referral(conn, cmd, now=now)
    )
