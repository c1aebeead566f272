"""Deciding submitted requests by the programme's rules, seconds after submit, and keeping the
projections of other services' facts. One handler per consumed event type.

Each runs inside the consumer's dedup transaction: the decision, the timeline, the events and
(when effective at once) the change itself commit together, exactly once. Every handler takes
(conn, envelope, event, now).
"""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

from contracts import Envelope, events
from services.membership.domain import class_change, family, faskes
from services.membership.domain.calendar import local_date
from services.membership.domain.decisions import Decision
from services.membership.domain.requests import Status, next_statuses
from services.membership.handlers import applying
from services.membership.store import participants, projections, requests


async def settle(conn: asyncpg.Connection, req: asyncpg.Record, decision: Decision,
                 now: datetime, decided_by: str) -> Status:
    """Move a received request by a decision, applying it if effective today."""
    today = local_date(now)
    last = await requests.move(conn, req, next_statuses(decision, today), now,
                               decision=decision, decided_by=decided_by)
    if last is Status.APPLIED:
        await applying.apply(conn, req, decision.effective_date or today)
    return last


async def _received(conn: asyncpg.Connection, request_id) -> asyncpg.Record | None:
    """The request if it still awaits a decision (a redelivery after a decision finds none)."""
    req = await requests.for_update(conn, request_id)
    return req if req is not None and req["status"] == Status.RECEIVED else None


async def decide_faskes_change(conn: asyncpg.Connection, env: Envelope,
                               e: events.FaskesChangeRequested, now: datetime) -> None:
    if (req := await _received(conn, e.request_id)) is None:
        return
    p = await participants.get(conn, e.member_id)
    member = faskes.Member(segment=p["segment"], pn_corps=p["pn_corps"],
                           fktp_code=p["fktp_code"], fktp_since=p["fktp_since"])
    target = await projections.facility(conn, e.faskes_code)
    decision = faskes.decide(member, target, faskes.Reason(e.reason), e.evidence_ref,
                             local_date(now))
    await settle(conn, req, decision, now, "rules")


async def decide_class_change(conn: asyncpg.Connection, env: Envelope,
                              e: events.ClassChangeRequested, now: datetime) -> None:
    if (req := await _received(conn, e.request_id)) is None:
        return
    fam = await participants.family_facts(conn, e.family_id)
    facts = class_change.Family(
        segment=fam["segment"], care_class=fam["care_class"],
        registered_at=fam["registered_at"], last_class_change=fam["last_change"],
        unpaid_months=fam["unpaid_months"])
    decision = class_change.decide(facts, e.care_class, local_date(now))
    await settle(conn, req, decision, now, "rules")


async def decide_newborn(conn: asyncpg.Connection, env: Envelope,
                         e: events.FamilyMemberRequested, now: datetime) -> None:
    if (req := await _received(conn, e.request_id)) is None:
        return
    head = await participants.get(conn, e.member_id)
    d = req["details"]
    if await participants.nik_is_participant(conn, d["nik"]):
        # Checked at submit too, but another request may have added this NIK since.
        decision = Decision.reject(
            "member_already_participant", "This NIK is already a participant.",
            "NIK ini sudah terdaftar sebagai peserta.")
    else:
        decision = family.decide_newborn(head["segment"], date.fromisoformat(d["birth_date"]),
                                         d.get("birth_document_ref"), local_date(now))
    await settle(conn, req, decision, now, "rules")


async def route_identity_correction(conn: asyncpg.Connection, env: Envelope,
                                    e: events.IdentityCorrectionRequested,
                                    now: datetime) -> None:
    """No rule approves an identity change (R2): it always goes to an officer."""
    if (req := await _received(conn, e.request_id)) is None:
        return
    await settle(conn, req, Decision.review(
        "identity_review",
        "An officer checks identity corrections against your documents.",
        "Petugas memeriksa perbaikan data identitas sesuai dokumen Anda."), now, "rules")


async def record_arrears(conn: asyncpg.Connection, env: Envelope,
                         e: events.PremiumArrearsChanged, now: datetime) -> None:
    """Billing's view of a family's unpaid months; the class-change rule reads it."""
    await projections.upsert_arrears(conn, e.family_id, e.unpaid_months, env.occurred_at)


async def record_facility(conn: asyncpg.Connection, env: Envelope,
                          e: events.FacilityRegistered, now: datetime) -> None:
    """Keep membership's own facility projection; it never asks referral to decide."""
    await projections.upsert_facility(conn, {**e.model_dump(), "facility_type": e.facility_type})
