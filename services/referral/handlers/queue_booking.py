"""BookQueue: a member takes the next number in the first of the day's sessions with a slot
left, at their own FKTP or at a hospital poli their referral or control letter names.

Takes the connection of the caller's unit of work (the Idempotency-Key guard's) and `now=`;
domain errors, no SQL, no HTTP. Why the last slot is never given twice: store/queue.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg

from common.errors import Conflict, NotFound
from contracts import events
from services.referral.domain import bookings, queue
from services.referral.domain.bookings import PatientKind
from services.referral.domain.control_letters import ControlLetter
from services.referral.domain.eligibility import eligibility
from services.referral.domain.numbers import Kind
from services.referral.domain.polis import check_poli_code
from services.referral.domain.queue_commands import BookQueue, referral_document
from services.referral.domain.referrals import Referral
from services.referral.domain.refusals import refused
from services.referral.domain.schedules import Session, day_code, local_date
from services.referral.handlers import documents
from services.referral.handlers.eligibility import coverage_of
from services.referral.handlers.queue import view
from services.referral.handlers.referrals import as_domain
from services.referral.handlers.visits import letter_of
from services.referral.store import letters, members
from services.referral.store import queue as store
from services.referral.store import referrals as referral_store
from services.referral.store.events import stage


async def _documents(conn: asyncpg.Connection, raw: str | None, member_id: Any,
                     card_number: str) -> tuple[Referral | None, ControlLetter | None]:
    """The referral (and control letter) a booking names; someone else's, or an unknown
    number, is not found alike."""
    if raw is None:
        return None, None
    kind, number = referral_document(raw)
    control = None
    if kind is Kind.CONTROL_LETTER:
        row = await letters.control_letter_for_update(conn, number)
        if row is not None and row["member_id"] == member_id:
            control = letter_of(row, card_number)
        number = control.referral_number if control is not None else ""
    found = await referral_store.by_number(conn, number) if number else None
    if found is None or found["member_id"] != member_id:
        raise NotFound("document_not_found",
                       "No referral or control letter with this number is yours.",
                       "Tidak ada rujukan atau surat kontrol Anda dengan nomor ini.",
                       field="referral_number")
    return as_domain(found), control


def _sessions(rows: list[Any]) -> list[tuple[Session, Any]]:
    return [(Session(r["doctor_id"], r["poli_code"], r["day_code"], r["start_time"],
                     r["end_time"], r["quota_jkn"], r["quota_non_jkn"], r["service_minutes"]),
             r) for r in rows]


async def _first_slot(conn: asyncpg.Connection, facility_code: str, poli_code: str,
                      cmd: BookQueue, now: datetime) -> tuple[int, Any]:
    """The first of the day's open sessions (the doctor's, if named) with a slot left, taken:
    its id and the slot (number, session times); quota_full if none has room."""
    by_session = dict(_sessions(await store.schedules_on(conn, facility_code, poli_code,
                                                          day_code(cmd.on))))
    candidates = bookings.sessions_for(by_session, poli_code, cmd.doctor_id)
    open_ = [s for s in candidates if now < s.ends_at(cmd.on)]
    if not open_:
        bookings.check_session_open(candidates[-1], cmd.on, now)
    opened = await store.opened_sessions(
        conn, [by_session[s]["schedule_id"] for s in open_], cmd.on)
    for session in open_:
        schedule = by_session[session]
        load = opened.get(schedule["schedule_id"])
        if load is not None and load["booked_jkn"] >= load["quota_jkn"]:
            continue  # full when read; the conditional UPDATE is what decides a slot
        session_id = load["session_id"] if load is not None else await store.open_session(
            conn, schedule, facility_code, cmd.on, session.starts_at(cmd.on),
            session.ends_at(cmd.on))
        slot = await store.take_slot(conn, session_id, PatientKind.JKN)
        if slot is not None:
            return session_id, slot
    raise bookings.quota_full()


async def book(conn: asyncpg.Connection, cmd: BookQueue, *, now: datetime) -> dict[str, Any]:
    """Take the first slot left in the day's sessions of the poli (the doctor's, if named)."""
    bookings.check_booking_date(cmd.on, now)
    poli = check_poli_code(cmd.poli_code)
    found = await documents.site(conn, cmd.facility_code)
    if found is None:
        raise NotFound("faskes_not_found", "No facility has this code.",
                       "Faskes dengan kode ini tidak ditemukan.", field="facility_code")
    site = found[0]
    member = await members.by_id(conn, cmd.member_id)
    if member is None:
        raise refused("member_id", "coverage_not_active", "Your coverage is not active.",
                      "Kepesertaan Anda tidak aktif.", reason="non_active")
    cover = coverage_of(member)
    referral, control = await _documents(conn, cmd.referral_number, cmd.member_id,
                                         cover.card_number)
    visit_kind = bookings.check_route(
        site, eligibility(cover, site.code, site.facility_type, cmd.on),
        card_number=cover.card_number, poli_code=poli.code, on=cmd.on,
        referral=referral, control=control)
    session_id, slot = await _first_slot(conn, site.code, poli.code, cmd, now)
    code = await documents.next_number(conn, site.code, Kind.BOOKING, local_date(now))
    number = slot["last_number"]
    ahead = await store.count_ahead(conn, session_id, number)
    eta = queue.estimated_service_at(slot["starts_at"], slot["service_minutes"], ahead)
    written = dict(
        booking_code=code, session_id=session_id, member_id=cmd.member_id,
        kind=PatientKind.JKN, visit_kind=visit_kind.value if visit_kind else None,
        referral_number=referral.number if referral else None,
        control_letter_number=control.number if control else None, queue_number=number,
        estimated_service_at=eta, now=now)
    if not await store.insert_booking(conn, **written):
        raise Conflict("already_booked", "You already have a booking in this session.",
                       "Anda sudah memiliki antrean di sesi ini.", field="date")
    await stage(conn, events.QueueBooked(
        booking_code=code, member_id=cmd.member_id, facility_code=site.code,
        poli_code=poli.code, service_date=cmd.on, queue_number=number,
        estimated_service_at=eta), str(cmd.member_id))
    # The answer from what was just written: no read back while the session is locked.
    return view({**written, **dict(slot), "facility_code": site.code, "poli_code": poli.code,
                 "service_date": cmd.on, "status": queue.Status.BOOKED.value, "ahead": ahead,
                 "booked_at": now, "checked_in_at": None, "called_at": None})


COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {BookQueue: book}
