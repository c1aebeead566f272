"""The hospital's documents after a referred visit: a control letter (surat kontrol) for a
repeat visit, and a back-referral (rujuk balik, PRB) to the member's FKTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

from common.errors import NotFound
from contracts import events
from services.referral.domain import back_referrals, control_letters
from services.referral.domain.control_letters import VisitRef
from services.referral.domain.eligibility import eligibility
from services.referral.domain.numbers import Kind, parse_document_number
from services.referral.domain.schedules import local_date
from services.referral.handlers import documents
from services.referral.handlers.eligibility import coverage_of
from services.referral.handlers.referrals import as_domain, referral_not_found
from services.referral.store import letters as store
from services.referral.store import members, visits
from services.referral.store import referrals as referral_store
from services.referral.store.events import stage


@dataclass(frozen=True, slots=True)
class IssueControlLetter:
    hospital_code: str
    referral_number: str
    visit_number: str
    poli_code: str
    planned_on: date
    doctor_id: str | None = None


@dataclass(frozen=True, slots=True)
class IssueBackReferral:
    hospital_code: str
    referral_number: str
    diagnosis: str
    programme: str
    advice: str


async def _referral_at(conn: asyncpg.Connection, hospital_code: str, number: str):
    """The referral to this hospital; one to another facility is not found here."""
    row = await referral_store.by_number(conn, str(parse_document_number(number, Kind.REFERRAL)))
    if row is None or row["to_facility"] != hospital_code:
        raise referral_not_found()
    return row


async def issue_control_letter(
    conn: asyncpg.Connection, cmd: IssueControlLetter, *, now: datetime
) -> dict[str, Any]:
    """Check and issue a control letter; ControlLetterIssued in the same transaction."""
    today = local_date(now)
    ref = await _referral_at(conn, cmd.hospital_code, cmd.referral_number)
    visit_number = str(parse_document_number(cmd.visit_number, Kind.VISIT, "visit_number"))
    visit = await visits.by_number(conn, visit_number)
    if visit is None or visit["member_id"] != ref["member_id"]:
        raise NotFound(
            "visit_not_found", "No such visit.", "Kunjungan tidak ditemukan.", field="visit_number"
        )
    hospital = await documents.site(conn, cmd.hospital_code)
    draft = control_letters.check_issue(
        as_domain(ref),
        VisitRef(
            visit["number"], visit["facility_code"], visit["referral_number"], visit["visited_on"]
        ),
        hospital_code=cmd.hospital_code,
        hospital_polis=hospital[0].polis if hospital else frozenset(),
        poli_code=cmd.poli_code,
        planned_on=cmd.planned_on,
        today=today,
    )
    number = await documents.next_number(conn, cmd.hospital_code, Kind.CONTROL_LETTER, today)
    await store.insert_control_letter(
        conn,
        number=number,
        referral_number=ref["number"],
        visit_number=visit_number,
        member_id=ref["member_id"],
        facility_code=cmd.hospital_code,
        poli_code=draft.poli_code,
        doctor_id=cmd.doctor_id,
        issued_on=today,
        planned_on=draft.planned_on,
        issued_at=now,
    )
    await stage(
        conn,
        events.ControlLetterIssued(
            number=number,
            member_id=ref["member_id"],
            facility_code=cmd.hospital_code,
            poli_code=draft.poli_code,
            visit_on=draft.planned_on,
        ),
        str(ref["member_id"]),
    )
    return {
        "control_letter_number": number,
        "referral_number": ref["number"],
        "visit_number": visit_number,
        "poli_code": draft.poli_code,
        "planned_date": draft.planned_on,
        "usable_through": control_letters.last_usable_day(
            draft.planned_on, as_domain(ref).valid_through
        ),
    }


async def issue_back_referral(
    conn: asyncpg.Connection, cmd: IssueBackReferral, *, now: datetime
) -> dict[str, Any]:
    """Check and issue a back-referral to the member's FKTP; BackReferralIssued with it."""
    today = local_date(now)
    ref = await _referral_at(conn, cmd.hospital_code, cmd.referral_number)
    member = await members.by_id(conn, ref["member_id"])
    answer = eligibility(coverage_of(member), cmd.hospital_code, "fkrtl", today)
    draft = back_referrals.check_issue(
        as_domain(ref),
        answer,
        hospital_code=cmd.hospital_code,
        diagnosis=cmd.diagnosis,
        programme=cmd.programme,
        advice=cmd.advice,
        today=today,
    )
    number = await documents.next_number(conn, cmd.hospital_code, Kind.BACK_REFERRAL, today)
    await store.insert_back_referral(
        conn,
        number=number,
        referral_number=ref["number"],
        member_id=ref["member_id"],
        hospital_code=cmd.hospital_code,
        fktp_code=draft.fktp_code,
        diagnosis=draft.diagnosis,
        programme=draft.programme,
        advice=draft.advice,
        issued_on=today,
        issued_at=now,
    )
    await stage(
        conn,
        events.BackReferralIssued(
            number=number,
            member_id=ref["member_id"],
            from_facility=cmd.hospital_code,
            to_facility=draft.fktp_code,
            issued_on=today,
        ),
        str(ref["member_id"]),
    )
    return {
        "back_referral_number": number,
        "referral_number": ref["number"],
        "fktp_code": draft.fktp_code,
        "diagnosis": draft.diagnosis,
        "programme": draft.programme,
        "issued_on": today,
    }
