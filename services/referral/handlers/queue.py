"""The online queue's member use cases after booking: follow a booking, cancel it, check in;
and how a booking is shown.

Each takes the connection of the caller's unit of work and `now=`; domain errors, no SQL, no
HTTP. Booking itself is handlers/queue_booking.py; the facility's side (call, task times)
handlers/queue_desk.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg

from common.errors import NotFound
from contracts import events
from services.referral.domain import queue
from services.referral.domain.bookings import PatientKind
from services.referral.domain.queue_commands import (
    CancelBooking,
    CheckIn,
    GetMyBooking,
    GetMyBookings,
    check_booking_code,
    check_cancel_reason,
)
from services.referral.domain.rules import WIB
from services.referral.store import queue as store
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
    CancelBooking: cancel,
    CheckIn: check_in,
}
