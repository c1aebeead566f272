"""Families: a new self-paying (PBPU) family joins whole, and a member sees their KK."""

from __future__ import annotations

import uuid
from typing import Any

from common import idempotency
from common.problems import Problem
from common.runtime import Runtime
from contracts import events
from services.membership.domain import family
from services.membership.domain.calendar import local_date
from services.membership.domain.errors import RuleViolation
from services.membership.effects import next_card_number
from services.membership.lifecycle import stage
from services.membership.results import Result, violation
from services.membership.tokens import AccessClaims


def _facility_problem(code: str) -> Problem:
    return Problem(422, "faskes_unavailable",
                   f"FKTP {code} is not an active primary care facility taking new members.",
                   detail_id=f"FKTP {code} bukan faskes tingkat pertama aktif yang menerima "
                   "peserta baru.", field="fktp_code")


async def register_family(rt: Runtime, cmd, key: str | None) -> Result:
    """All or nothing: every person on the KK joins in one class, or nobody does (R1)."""
    now = rt.clock.now()
    today = local_date(now)
    applicants = [family.Applicant(nik=m.nik, full_name=m.full_name, birth_date=m.birth_date)
                  for m in cmd.members]
    async with rt.pool.acquire() as conn, conn.transaction():
        if stored := await idempotency.claim(conn, "families", key,
                                             idempotency.fingerprint(cmd.model_dump(mode="json"))):
            return Result(stored.status, stored.body)
        # Lock the KK's civil records: two submissions of one family queue up here.
        on_kk = await conn.fetch(
            "SELECT * FROM civil_registry WHERE kk_number = $1 ORDER BY nik FOR UPDATE",
            cmd.kk_number)
        covered = {r["nik"] for r in await conn.fetch(
            "SELECT nik FROM participants WHERE nik = ANY($1::text[])",
            [r["nik"] for r in on_kk])}
        try:
            family.check_new_family(
                cmd.kk_number,
                [family.CivilRecord(nik=r["nik"], full_name=r["full_name"],
                                    birth_date=r["birth_date"], sex=r["sex"],
                                    relationship=r["relationship"]) for r in on_kk],
                applicants, covered, cmd.care_class)
        except RuleViolation as v:
            raise violation(v) from None
        f = await conn.fetchrow("SELECT * FROM facilities WHERE code = $1", cmd.fktp_code)
        if not f or f["facility_type"] != "fktp" or not f["active"] or not f["accepts_new_members"]:
            raise _facility_problem(cmd.fktp_code)
        joined = []
        civil = {r["nik"]: r for r in on_kk}
        for a in applicants:
            r = civil[a.nik.replace(" ", "")]
            mid, card = uuid.uuid4(), await next_card_number(conn)
            await conn.execute(
                "INSERT INTO participants (member_id, nik, card_number, full_name, birth_date,"
                " sex, family_id, relationship, segment, care_class, fktp_code, fktp_since,"
                " registered_at, coverage, district_code) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                " $8, 'PBPU', $9, $10, $11, $11, 'inactive', $12)",
                mid, r["nik"], card, r["full_name"], r["birth_date"], r["sex"], cmd.kk_number,
                r["relationship"], cmd.care_class, cmd.fktp_code, today, r["district_code"])
            joined.append(events.FamilyMember(member_id=mid, card_number=card,
                                              relationship=r["relationship"]))
        head = next((j for j in joined if j.relationship == "head"), joined[0])
        await stage(conn, events.FamilyRegistered(
            family_id=cmd.kk_number, care_class=cmd.care_class, fktp_code=cmd.fktp_code,
            registered_on=today, members=joined, head_card_number=head.card_number),
            cmd.kk_number)
        body = {
            "family_id": cmd.kk_number, "segment": "PBPU", "care_class": cmd.care_class,
            "fktp_code": cmd.fktp_code, "coverage_status": "inactive",
            "members": [{"card_number": j.card_number, "relationship": j.relationship}
                        for j in joined],
            # R3: coverage starts with the first premium, payable from day 14 to day 30.
            "first_payment": {"from": str(today.fromordinal(today.toordinal() + 14)),
                              "until": str(today.fromordinal(today.toordinal() + 30))},
        }
        await idempotency.remember(conn, "families", key, 201, body)
    return Result(201, body)


async def my_family(rt: Runtime, who: AccessClaims) -> list[dict[str, Any]]:
    rows = await rt.pool.fetch(
        "SELECT q.nik, q.card_number, q.full_name, q.birth_date, q.relationship, q.segment,"
        " q.care_class, q.fktp_code, q.coverage FROM participants p"
        " JOIN participants q ON q.family_id = p.family_id WHERE p.member_id = $1"
        " ORDER BY q.birth_date", who.member_id)
    # Family members see each other's card, not each other's full NIK.
    return [{**dict(r), "nik": r["nik"][:6] + "******" + r["nik"][-4:]} for r in rows]
