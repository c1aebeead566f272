"""Deciding submitted requests by the programme's rules, in the worker, seconds after submit.

Each handler runs inside the consumer's dedup transaction: the decision, the timeline, the
events and (when effective at once) the change itself commit together, exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import asyncpg

from contracts import Envelope, events
from services.membership import effects
from services.membership.domain import class_change, family, faskes
from services.membership.domain.calendar import local_date
from services.membership.domain.decisions import Decision
from services.membership.domain.requests import Status, next_statuses
from services.membership.lifecycle import load_for_update, move

Now = Callable[[], datetime]


async def settle(conn, req, decision: Decision, now: datetime, decided_by: str) -> Status:
    """Move a received (or checking) request by a decision, applying it if effective today."""
    today = local_date(now)
    statuses = next_statuses(decision, today)
    last = await move(conn, req, statuses, now, decision=decision, decided_by=decided_by)
    if last is Status.APPLIED:
        await effects.apply(conn, req, decision.effective_date or today)
    return last


async def _received(conn, request_id):
    """The request if it still awaits a decision (a redelivery after a decision finds none)."""
    req = await load_for_update(conn, request_id)
    return req if req is not None and req["status"] == Status.RECEIVED else None


def decide_faskes(now: Now):
    async def handle(conn: asyncpg.Connection, env: Envelope,
                     e: events.FaskesChangeRequested) -> None:
        if (req := await _received(conn, e.request_id)) is None:
            return
        p = await conn.fetchrow("SELECT * FROM participants WHERE member_id = $1", e.member_id)
        f = await conn.fetchrow("SELECT * FROM facilities WHERE code = $1", e.faskes_code)
        target = None if f is None else faskes.Facility(
            code=f["code"], facility_type=f["facility_type"], active=f["active"],
            accepts_new_members=f["accepts_new_members"])
        member = faskes.Member(segment=p["segment"], pn_corps=p["pn_corps"],
                               fktp_code=p["fktp_code"], fktp_since=p["fktp_since"])
        moment = now()
        decision = faskes.decide(member, target, faskes.Reason(e.reason), e.evidence_ref,
                                 local_date(moment))
        await settle(conn, req, decision, moment, "rules")
    return handle


def decide_class(now: Now):
    async def handle(conn: asyncpg.Connection, env: Envelope,
                     e: events.ClassChangeRequested) -> None:
        if (req := await _received(conn, e.request_id)) is None:
            return
        fam = await conn.fetchrow(
            "SELECT min(segment) AS segment, min(care_class) AS care_class,"
            " min(registered_at) AS registered_at, max(last_class_change) AS last_change"
            " FROM participants WHERE family_id = $1", e.family_id)
        unpaid = await conn.fetchval(
            "SELECT unpaid_months FROM family_arrears WHERE family_id = $1", e.family_id) or 0
        facts = class_change.Family(
            segment=fam["segment"], care_class=fam["care_class"],
            registered_at=fam["registered_at"], last_class_change=fam["last_change"],
            unpaid_months=unpaid)
        moment = now()
        decision = class_change.decide(facts, e.care_class, local_date(moment))
        await settle(conn, req, decision, moment, "rules")
    return handle


def decide_family_member(now: Now):
    async def handle(conn: asyncpg.Connection, env: Envelope,
                     e: events.FamilyMemberRequested) -> None:
        if (req := await _received(conn, e.request_id)) is None:
            return
        segment = await conn.fetchval("SELECT segment FROM participants WHERE member_id = $1",
                                      e.member_id)
        d = req["details"]
        moment = now()
        if await conn.fetchval("SELECT 1 FROM participants WHERE nik = $1", d["nik"]):
            # Checked at submit too, but another request may have added this NIK since.
            decision = Decision.reject(
                "member_already_participant", "This NIK is already a participant.",
                "NIK ini sudah terdaftar sebagai peserta.")
        else:
            decision = family.decide_newborn(segment, date.fromisoformat(d["birth_date"]),
                                             d.get("birth_document_ref"), local_date(moment))
        await settle(conn, req, decision, moment, "rules")
    return handle


def route_identity(now: Now):
    async def handle(conn: asyncpg.Connection, env: Envelope,
                     e: events.IdentityCorrectionRequested) -> None:
        if (req := await _received(conn, e.request_id)) is None:
            return
        await settle(conn, req, Decision.review(
            "identity_review",
            "An officer checks identity corrections against your documents.",
            "Petugas memeriksa perbaikan data identitas sesuai dokumen Anda."),
            now(), "rules")
    return handle


async def on_arrears(conn: asyncpg.Connection, env: Envelope,
                     e: events.PremiumArrearsChanged) -> None:
    """Billing's view of a family's unpaid months; the class-change rule reads it."""
    await conn.execute(
        "INSERT INTO family_arrears (family_id, unpaid_months, updated_at)"
        " VALUES ($1, $2, $3) ON CONFLICT (family_id) DO UPDATE SET"
        " unpaid_months = EXCLUDED.unpaid_months, updated_at = EXCLUDED.updated_at"
        " WHERE family_arrears.updated_at <= EXCLUDED.updated_at",
        e.family_id, e.unpaid_months, env.occurred_at)
