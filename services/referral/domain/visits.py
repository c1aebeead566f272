"""Recording a visit (VClaim's SEP): what a facility may record, on which day, under what.

Decisions (domain.md §3: hospital care needs a referral; emergencies are exempt and are not
recorded through this route):
- A visit is recorded on its day or later (a desk that catches up), never ahead of it.
- The member must be eligible at the facility on the visit day; a primary care visit needs the
  member registered there (eligibility says so), a hospital visit a referral or a control letter
  for that hospital and poli (referrals.check_use, control_letters.check_use).
- The poli is one the facility has.
"""

from __future__ import annotations

from datetime import date

from services.referral.domain.eligibility import Eligibility, Reason
from services.referral.domain.polis import Poli, check_poli_at
from services.referral.domain.referrals import NOT_ELIGIBLE, Site
from services.referral.domain.refusals import invalid, refused


def refuse_not_eligible(member: Eligibility) -> None:
    """Refuse (naming card_number) a member who may not be served, with the reason."""
    if not member.eligible:
        code, en, id_ = NOT_ELIGIBLE[member.reason or Reason.NON_ACTIVE]
        raise refused("card_number", code, en, id_)


def check_visit(
    site: Site,
    member: Eligibility,
    *,
    poli_code: str,
    visited_on: date,
    today: date,
    has_document: bool,
) -> Poli:
    """The poli of a visit the facility may record; the first refusal names its field."""
    if visited_on > today:
        raise invalid(
            "visited_on",
            "visit_in_future",
            "A visit is recorded on its day or later.",
            "Kunjungan dicatat pada harinya atau sesudahnya.",
        )
    refuse_not_eligible(member)
    poli = check_poli_at(poli_code, site.polis)
    if site.facility_type == "fkrtl" and not has_document:
        raise refused(
            "referral_number",
            "referral_required",
            "A hospital visit needs a referral or a control letter.",
            "Kunjungan ke rumah sakit memerlukan rujukan atau surat kontrol.",
        )
    return poli
