"""What a booking is decided on, read from the catalogue and the records (migration 0003): the
facility with its polis, and the referral or control letter the member brings (the member's
coverage is store/members.py's)."""

from __future__ import annotations

from services.referral.domain.control_letters import ControlLetter
from services.referral.domain.referrals import Referral, ServiceType, Site
from services.referral.store.queue import Executor


async def site(conn: Executor, code: str) -> Site | None:
    """A facility (contracted or not) with the polis it runs."""
    row = await conn.fetchrow(
        "SELECT f.code, f.facility_type, f.active, coalesce(array_agg(p.poli_code)"
        " FILTER (WHERE p.poli_code IS NOT NULL), '{}') AS polis FROM facilities f"
        " LEFT JOIN facility_polis p ON p.facility_code = f.code WHERE f.code = $1"
        " GROUP BY f.code", code)
    if row is None:
        return None
    return Site(row["code"], row["facility_type"], row["active"], frozenset(row["polis"]))


async def referral(conn: Executor, number: str) -> Referral | None:
    row = await conn.fetchrow(
        "SELECT number, card_number, from_facility, to_facility, poli_code, diagnosis,"
        " service_type, issued_on, notes FROM referrals WHERE number = $1", number)
    if row is None:
        return None
    return Referral(row["number"], row["card_number"], row["from_facility"],
                    row["to_facility"], row["poli_code"], row["diagnosis"],
                    ServiceType(row["service_type"]), row["issued_on"], row["notes"])


async def control_letter(conn: Executor, number: str) -> ControlLetter | None:
    row = await conn.fetchrow(
        "SELECT c.number, c.referral_number, c.visit_number, m.card_number, c.facility_code,"
        " c.poli_code, c.issued_on, c.planned_on, c.doctor_id, c.used_at IS NOT NULL AS used"
        " FROM control_letters c JOIN members m USING (member_id) WHERE c.number = $1", number)
    return None if row is None else ControlLetter(**dict(row))
