"""A facility records a visit: at primary care for its own member, at a hospital under a
referral or a control letter for that hospital and poli (VisitRecorded in the same
transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

from common.errors import NotFound
from contracts import events
from services.referral.domain import control_letters, referrals, visits
from services.referral.domain.control_letters import ControlLetter
from services.referral.domain.eligibility import eligibility
from services.referral.domain.numbers import Kind, parse_document_number
from services.referral.domain.schedules import local_date
from services.referral.handlers import documents
from services.referral.handlers.eligibility import coverage_of, find_member
from services.referral.handlers.referrals import as_domain, referral_not_found
from services.referral.store import letters
from services.referral.store import referrals as referral_store
from services.referral.store import visits as store
from services.referral.store.events import stage


@dataclass(frozen=True, slots=True)
class RecordVisit:
    facility_code: str
    card_number: str
    poli_code: str
    visited_on: date | None = None
    referral_number: str | None = None
    control_letter_number: str | None = None


def letter_of(row: asyncpg.Record, card_number: str) -> ControlLetter:
    return ControlLetter(
        number=row["number"],
        referral_number=row["referral_number"],
        visit_number=row["visit_number"],
        card_number=card_number,
        facility_code=row["facility_code"],
        poli_code=row["poli_code"],
        issued_on=row["issued_on"],
        planned_on=row["planned_on"],
        doctor_id=row["doctor_id"],
        used=row["used_at"] is not None,
    )


async def _member_referral(conn, number: str, member_id, field: str = "referral_number"):
    parsed = str(parse_document_number(number, Kind.REFERRAL, field))
    row = await referral_store.by_number(conn, parsed)
    if row is None or row["member_id"] != member_id:
        raise referral_not_found(field)
    return row


async def record_visit(
    conn: asyncpg.Connection, cmd: RecordVisit, *, now: datetime
) -> dict[str, Any]:
    """Check and record one visit; answers its number."""
    today = local_date(now)
    on = cmd.visited_on or today
    member = await find_member(conn, card_number=cmd.card_number, nik=None, digest_key=None)
    found = await documents.site(conn, cmd.facility_code)
    if found is None:
        raise NotFound("faskes_not_found", "The facility is unknown.", "Faskes tidak dikenal.")
    site = found[0]
    answer = eligibility(coverage_of(member), site.code, site.facility_type, on)
    poli = visits.check_visit(
        site,
        answer,
        poli_code=cmd.poli_code,
        visited_on=on,
        today=today,
        has_document=bool(cmd.referral_number or cmd.control_letter_number),
    )
    referral_number = letter_number = None
    if cmd.control_letter_number:
        parsed = str(
            parse_document_number(
                cmd.control_letter_number, Kind.CONTROL_LETTER, "control_letter_number"
            )
        )
        row = await letters.control_letter_for_update(conn, parsed)
        if row is None or row["member_id"] != member["member_id"]:
            raise NotFound(
                "control_letter_not_found",
                "No such control letter.",
                "Surat kontrol tidak ditemukan.",
                field="control_letter_number",
            )
        ref = await _member_referral(conn, row["referral_number"], member["member_id"])
        control_letters.check_use(
            letter_of(row, member["card_number"]),
            as_domain(ref),
            facility_code=site.code,
            poli_code=poli.code,
            on=on,
        )
        await letters.mark_used(conn, parsed, now)
        referral_number, letter_number = ref["number"], parsed
    elif cmd.referral_number:
        ref = await _member_referral(conn, cmd.referral_number, member["member_id"])
        referrals.check_use(as_domain(ref), facility_code=site.code, poli_code=poli.code, on=on)
        referral_number = ref["number"]
    number = await documents.next_number(conn, site.code, Kind.VISIT, today)
    visit = {
        "facility_code": site.code,
        "poli_code": poli.code,
        "visited_on": on,
        "referral_number": referral_number,
        "control_letter_number": letter_number,
    }
    who = member["member_id"]
    await store.insert(conn, number=number, member_id=who, recorded_at=now, **visit)
    recorded = events.VisitRecorded(visit_number=number, member_id=who, **visit)
    await stage(conn, recorded, str(who))
    return {"visit_number": number, "card_number": member["card_number"], **visit}
