"""The online queue's member use cases: book a slot, follow it, cancel it, check in.

Each takes the connection of the caller's unit of work and `now=`; domain errors, no SQL, no
HTTP. The facility's side (call, task times) is in handlers/queue_desk.py.
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
from services.referral.domain.queue_commands import (
    BookQueue,
    CancelBooking,
    CheckIn,
    GetMyBooking,
    GetMyBookings,
    check_booking_code,
    check_cancel_reason,
    referral_document,
)
from services.referral.domain.referrals import Referral
from services.referral.domain.refusals import refused
from services.referral.domain.rules import WIB
from services.referral.domain.schedules import Session, day_code, local_date
from services.referral.handlers import documents
from services.referral.handlers.eligibility import coverage_of
from services.referral.handlers.referrals import as_domain
from services.referral.handlers.visits import letter_of
from services.referral.store import letters, members
from services.referral.store import queue as store
from services.referral.store import referrals as referral_store
from services.referral.store.events import stage


def _not_found() -> NotFound:
    # Someone else's booking answers like an unknown one: never confirm it exists.
    return NotFound("booking_not_found", "No booking of yours has this code.",
                    "Tidak ada antrean Anda dengan kode ini.", field="booking_code")


def view(row: Any) -> dict[str, Any]:
    """A booking as its member (or desk) sees it: where, when, the number, who is ahead."""
    ahead = row["ahead"]
    return {
        "booking_code": row["booking_code"],
        "facility_code": row["facility_code"],
        "poli_code": row["poli_code"],
        "doctor_id": row["doctor_id"],
        "date": row["service_date"],
        "hours": f"{row['starts_at'].astimezone(WIB):%H:%M}-"
                 f"{row['ends_at'].astimezone(WIB):%H:%M}",
        "queue_number": row["queue_number"],
        "queue_label": queue.queue_label(row["poli_code"], row["queue_number"]),
        "status": row["status"],
        "visit_kind": row["visit_kind"],
        "referral_number": row["referral_number"],
        "control_letter_number": row["control_letter_number"],
        "estimated_service_at": row["estimated_service_at"],
        "people_ahead": ahead,
        "wait_seconds": None if ahead is None else queue.wait_seconds(row["service_minutes"],
                                                                       ahead),
        "booked_at": row["booked_at"],
        "checked_in_at": row["checked_in_at"],
        "called_at": row["called_at"],
    }


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


async def my_bookings(conn: store.Executor, q: GetMyBookings) -> list[dict[str, Any]]:
    return [view(r) for r in await store.member_bookings(conn, q.member_id)]


async def my_booking(conn: store.Executor, q: GetMyBooking) -> dict[str, Any]:
    row = await store.booking(conn, check_booking_code(q.booking_code))
    if row is None or row["member_id"] != q.member_id:
        raise _not_found()
    return view(row)


async def _locked_own(conn: asyncpg.Connection, member_id: Any, raw_code: str) -> Any:
    row = await store.lock_booking(conn, check_booking_code(raw_code))
    if row is None or row["member_id"] != member_id:
        raise _not_found()
    return row


async def end_booking(conn: asyncpg.Connection, row: Any, status: queue.Status, reason: str,
                      now: datetime) -> None:
    """A booking stops waiting (cancelled, no-show): its slot is free again, announced."""
    await store.set_status(conn, row["booking_code"], status, now, reason)
    await store.free_slot(conn, row["session_id"], PatientKind(row["patient_kind"]))
    await stage(conn, events.QueueBookingCancelled(
        booking_code=row["booking_code"], member_id=row["member_id"], reason=reason),
        str(row["member_id"]))


async def cancel(conn: asyncpg.Connection, cmd: CancelBooking, *, now: datetime,
                 ) -> dict[str, Any]:
    """The member cancels until called; the slot goes back to the session's quota."""
    reason = check_cancel_reason(cmd.reason)
    row = await _locked_own(conn, cmd.member_id, cmd.booking_code)
    new = queue.move(queue.Status(row["status"]), "cancel")
    await end_booking(conn, row, new, reason, now)
    return view(await store.booking(conn, row["booking_code"]))


async def check_in(conn: asyncpg.Connection, cmd: CheckIn, *, now: datetime) -> dict[str, Any]:
    """The member arrives: the waiting clock starts (from an hour before the session)."""
    row = await _locked_own(conn, cmd.member_id, cmd.booking_code)
    new = queue.move(queue.Status(row["status"]), "check_in")
    queue.check_check_in_window(row["starts_at"], row["ends_at"], now)
    await store.set_status(conn, row["booking_code"], new, now)
    return view(await store.booking(conn, row["booking_code"]))


QUERIES: dict[type, Callable[..., Awaitable[Any]]] = {
    GetMyBookings: my_bookings,
    GetMyBooking: my_booking,
}
COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {
    BookQueue: book,
    CancelBooking: cancel,
    CheckIn: check_in,
}
