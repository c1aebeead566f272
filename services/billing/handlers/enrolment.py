"""Billing's projection of who is billed, from membership's events (billing never asks).

FamilyEnrolled reaches billing for every family in the register (the seed, a bulk import, a
registration): ~260k of them for the study's 856,723 participants, so a family is a handful of
statements whatever its size. Re-delivery and re-enrolment are upserts: nothing is doubled.
Every handler takes (conn, env, e, now) and runs in the consumer's dedup transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from contracts import Envelope, events
from services.billing.domain import enrolment
from services.billing.domain.arrears import amount_due
from services.billing.domain.bills import SELF_PAYING, Participant, family_bills, payer_of
from services.billing.domain.periods import Period, local_date
from services.billing.domain.virtual_account import virtual_account
from services.billing.handlers.notices import bill_issued
from services.billing.store import bills, ledger, tariffs
from services.billing.store.events import stage, stage_many


def _participant(m: events.EnrolledMember) -> Participant:
    return Participant(member_id=str(m.member_id), segment=m.segment, care_class=m.care_class,
                       payer_id=m.payer_id, relationship=m.relationship, wage=m.wage,
                       minimum_wage=m.minimum_wage)


def _member_row(m: events.EnrolledMember, family_id: str) -> dict[str, Any]:
    payer = payer_of(_participant(m), family_id)
    return {**m.model_dump(), "payer_kind": payer.kind, "payer_id": payer.id}


async def enrol_family(conn: asyncpg.Connection, env: Envelope, e: events.FamilyEnrolled,
                       now: datetime) -> None:
    """Project a family: payers, members, its virtual account, opening or first bills."""
    members = [_member_row(m, e.family_id) for m in e.members]
    others = sorted({(m["payer_kind"], m["payer_id"]) for m in members
                     if m["payer_kind"] != "family"})
    people = [_participant(m) for m in e.members]
    # Only what the family pays itself is billed at enrolment (the others' arrears are not the
    # family's bills), so a family paid for by others needs no tariff and no bill.
    pays_itself = any(p.segment in SELF_PAYING for p in people)
    opening = enrolment.opening_periods(e.as_of, e.arrears_months) if pays_itself else []
    first_due = pays_itself and enrolment.first_bill_due(
        [m.registered_on for m in e.members], e.as_of, e.arrears_months)
    table = await tariffs.table(conn) if opening or first_due else None
    opening_bills = family_bills(e.family_id, people, opening, table) if opening else []
    va, va_mandiri = virtual_account(e.head_card_number), virtual_account(
        e.head_card_number, "mandiri")
    family = {"family_id": e.family_id, "head_member_id": e.head_member_id,
              "head_card_number": e.head_card_number, "head_name": e.head_name, "va": va,
              "va_mandiri": va_mandiri, "coverage": e.coverage,
              "coverage_since": e.as_of if e.coverage == "non_active" else None,
              "arrears_months": enrolment.counted_opening(opening_bills)}
    upserted = await ledger.upsert_family(conn, family, others, members, env.occurred_at)
    if upserted["va_changed"]:
        await stage(conn, events.VirtualAccountOpened(
            family_id=e.family_id, va=va, va_mandiri=va_mandiri), e.family_id)
    if upserted["new"] and family["arrears_months"]:
        # Billing's count is the one class changes read (membership's family_arrears), so a
        # family that arrives owing months says so at once; later changes come from refresh.
        await stage(conn, events.PremiumArrearsChanged(
            family_id=e.family_id, unpaid_months=family["arrears_months"]), e.family_id)
    if opening_bills:
        await bills.write(conn, opening_bills, [b.period.due_date() for b in opening_bills],
                          now=now, opening=True)
    if first_due:
        await _issue_first_bill(conn, e, people, table, first_due, now)


async def _issue_first_bill(conn: asyncpg.Connection, e: events.FamilyEnrolled,
                            people: list[Participant], table, due, now: datetime) -> None:
    first = family_bills(e.family_id, people, [Period.of(e.as_of)], table)
    written = await bills.write(conn, first, [due] * len(first), now=now)
    payer = await ledger.payer_for_update(conn, "family", e.family_id)
    await stage_many(conn, [
        (bill_issued(bill_id, bill.payer.kind, bill.payer.id, str(bill.period), bill.total,
                     due, payer, amount_due({bill.period: bill.total}, local_date(now),
                                            payer["credit"])), e.family_id)
        for bill_id, bill in written])


async def add_member(conn: asyncpg.Connection, env: Envelope, e: events.MemberAdded,
                     now: datetime) -> None:
    """A newborn joins a known family, billed to the family's payer from its next bill."""
    await ledger.add_member(conn, e.family_id, {
        "member_id": e.member_id, "card_number": e.card_number, "segment": e.segment,
        "care_class": e.care_class, "registered_on": e.effective_date,
        "relationship": e.relationship, "fktp_code": e.fktp_code}, env.occurred_at)


async def change_class(conn: asyncpg.Connection, env: Envelope, e: events.ClassChanged,
                       now: datetime) -> None:
    """The whole family's new care class, priced from the next bill run on."""
    await ledger.set_care_class(conn, list(e.member_ids), e.to_class, env.occurred_at)


async def change_faskes(conn: asyncpg.Connection, env: Envelope, e: events.FaskesChanged,
                        now: datetime) -> None:
    """A member's new FKTP (billing keeps it for the ops summaries by facility)."""
    await ledger.set_fktp(conn, e.member_id, e.to_code, env.occurred_at)
