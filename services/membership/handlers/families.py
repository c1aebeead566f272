"""Families: a new self-paying (PBPU) family joins whole, and a member sees their KK."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg
from pydantic import SecretStr

from common.errors import RuleViolated
from common.nik_digest import nik_digest
from contracts import events
from services.membership.domain import family, faskes
from services.membership.domain.calendar import local_date
from services.membership.domain.enrolment import enrolment_event_id, event_coverage
from services.membership.domain.nik import mask_nik
from services.membership.handlers.commands import RegisterFamily
from services.membership.store import participants, projections
from services.membership.store.events import stage
from services.membership.tokens import AccessClaims


def _facility_unavailable(code: str) -> RuleViolated:
    return RuleViolated(
        "faskes_unavailable",
        f"FKTP {code} is not an active primary care facility taking new members.",
        f"FKTP {code} bukan faskes tingkat pertama aktif yang menerima peserta baru.",
        field="fktp_code")


async def register_family(conn: asyncpg.Connection, cmd: RegisterFamily, *,
                          now: datetime, nik_key: SecretStr | None = None) -> dict[str, Any]:
    """All or nothing: every person on the KK joins in one class, or nobody does (R1)."""
    today = local_date(now)
    applicants = [family.Applicant(nik=m.nik, full_name=m.full_name, birth_date=m.birth_date)
                  for m in cmd.members]
    on_kk = await participants.civil_records_for_update(conn, cmd.kk_number)
    covered = await participants.participating_niks(conn, [r["nik"] for r in on_kk])
    family.check_new_family(
        cmd.kk_number,
        [family.CivilRecord(nik=r["nik"], full_name=r["full_name"], birth_date=r["birth_date"],
                            sex=r["sex"], relationship=r["relationship"]) for r in on_kk],
        applicants, covered, cmd.care_class)
    if not faskes.takes_new_members(await projections.facility(conn, cmd.fktp_code)):
        raise _facility_unavailable(cmd.fktp_code)
    joined, names, digests = [], {}, {}
    civil = {r["nik"]: r for r in on_kk}
    for a in applicants:
        r = civil[family.typed_nik(a.nik)]
        mid, card = uuid.uuid4(), await participants.next_card_number(conn)
        await participants.insert_pbpu_member(
            conn, r, member_id=mid, card_number=card, family_id=cmd.kk_number,
            care_class=cmd.care_class, fktp_code=cmd.fktp_code, registered_on=today)
        joined.append(events.FamilyMember(member_id=mid, card_number=card,
                                          relationship=r["relationship"]))
        names[mid] = r["full_name"]
        digests[mid] = nik_digest(nik_key, r["nik"]) if nik_key else None
    head = next((j for j in joined if j.relationship == "head"), joined[0])
    await stage(conn, events.FamilyRegistered(
        family_id=cmd.kk_number, care_class=cmd.care_class, fktp_code=cmd.fktp_code,
        registered_on=today, members=joined, head_card_number=head.card_number), cmd.kk_number)
    await stage(conn, _enrolled(cmd, joined, head, names[head.member_id], today, digests),
                cmd.kk_number, event_id=enrolment_event_id(cmd.kk_number))
    pay_from, pay_until = family.first_payment_window(today)
    return {
        "family_id": cmd.kk_number, "segment": "PBPU", "care_class": cmd.care_class,
        "fktp_code": cmd.fktp_code, "coverage_status": "inactive",
        "members": [{"card_number": j.card_number, "relationship": j.relationship}
                    for j in joined],
        "first_payment": {"from": str(pay_from), "until": str(pay_until)},
    }


def _enrolled(cmd: RegisterFamily, joined: list[events.FamilyMember],
              head: events.FamilyMember, head_name: str, today: date,
              digests: dict[uuid.UUID, str | None]) -> events.FamilyEnrolled:
    """A new PBPU family reaches billing like a seeded one: nothing owed yet, and inactive
    until its first premium (R3); the registration day is its `as_of`."""
    return events.FamilyEnrolled(
        family_id=cmd.kk_number, head_member_id=head.member_id,
        head_card_number=head.card_number, head_name=head_name,
        members=[events.EnrolledMember(
            member_id=j.member_id, card_number=j.card_number, relationship=j.relationship,
            segment="PBPU", care_class=cmd.care_class, fktp_code=cmd.fktp_code,
            registered_on=today, nik_digest=digests[j.member_id]) for j in joined],
        coverage=event_coverage("inactive"), arrears_months=0, as_of=today)


async def my_family(conn: asyncpg.Connection, who: AccessClaims) -> list[dict[str, Any]]:
    """The members of my KK; family members see each other's card, not the full NIK."""
    rows = await participants.family_of(conn, who.member_id)
    return [{**dict(r), "nik": mask_nik(r["nik"])} for r in rows]
