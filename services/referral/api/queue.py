"""The member's online queue: book a slot, list and follow bookings, cancel, check in; and the
member's visit history. Parse, build a command, call a handler, map the answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from common.idempotency import Answer
from common.text import path_text, text
from services.referral.api.deps import Db, Guarded, Member, Now
from services.referral.domain.queue_commands import (
    BookQueue,
    CancelBooking,
    CheckIn,
    GetMyBooking,
    GetMyBookings,
    GetMyVisits,
)
from services.referral.handlers import queue as handlers
from services.referral.handlers import queue_booking, visit_history

router = APIRouter(prefix="/v1/me", tags=["queue"])
BookingCode = path_text(19)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QueueBookingCreate(Strict):
    facility_code: text(8, min_length=8, pattern=r"^[0-9A-Z]{8}$")
    poli_code: text(8)
    doctor_id: text(32) | None = None
    date: date
    referral_number: text(24) | None = None


class QueueBookingCancel(Strict):
    reason: Literal["member_cancelled", "cannot_attend", "recovered", "other"] = (
        "member_cancelled")


class QueueBookingPublic(BaseModel):
    booking_code: str
    facility_code: str
    poli_code: str
    doctor_id: str
    date: date
    hours: str
    queue_number: int
    queue_label: str
    status: str
    visit_kind: str | None
    referral_number: str | None
    control_letter_number: str | None
    estimated_service_at: datetime
    people_ahead: int | None
    wait_seconds: int | None
    booked_at: datetime
    checked_in_at: datetime | None
    called_at: datetime | None


class QueueBookingList(BaseModel):
    items: list[QueueBookingPublic]
    count: int


@router.post("/queue-bookings", status_code=201, response_model=QueueBookingPublic)
async def book(body: QueueBookingCreate, who: Member, guard: Guarded, now: Now):
    """Take the next number in the day's session of the poli (the doctor's, if named)."""
    cmd = BookQueue(who.member_id, body.facility_code, body.poli_code, body.date,
                    body.doctor_id, body.referral_number)

    async def booked(conn) -> Answer:
        view = QueueBookingPublic(**await queue_booking.book(conn, cmd, now=now))
        return Answer(201, view.model_dump(mode="json"),
                      {"Location": f"/v1/me/queue-bookings/{view.booking_code}"})
    return await guard.run(body, booked)


@router.get("/queue-bookings", response_model=QueueBookingList)
async def my_bookings(who: Member, db: Db):
    """The member's bookings, latest date first, each with the people still ahead."""
    items = await handlers.my_bookings(db, GetMyBookings(who.member_id))
    return QueueBookingList(items=items, count=len(items))


@router.get("/queue-bookings/{booking_code}", response_model=QueueBookingPublic)
async def my_booking(booking_code: BookingCode, who: Member, db: Db):
    """One booking: its number, status, the people ahead and the wait."""
    return await handlers.my_booking(db, GetMyBooking(who.member_id, booking_code))


@router.post("/queue-bookings/{booking_code}/cancel", response_model=QueueBookingPublic)
async def cancel(booking_code: BookingCode, who: Member, guard: Guarded, now: Now,
                 body: QueueBookingCancel | None = None):
    """Cancel until called; the slot goes back to the session."""
    body = body or QueueBookingCancel()
    cmd = CancelBooking(who.member_id, booking_code, body.reason)
    return await guard.run(body, lambda conn: handlers.cancel(conn, cmd, now=now))


@router.post("/queue-bookings/{booking_code}/check-in", response_model=QueueBookingPublic)
async def check_in(booking_code: BookingCode, who: Member, guard: Guarded, now: Now):
    """Arrived: from an hour before the session until it ends."""
    cmd = CheckIn(who.member_id, booking_code)
    return await guard.run(None, lambda conn: handlers.check_in(conn, cmd, now=now))


@router.get("/visits")
async def my_visits(who: Member, db: Db):
    """The visits facilities recorded for the member, latest first."""
    items = await visit_history.my_visits(db, GetMyVisits(who.member_id))
    return {"items": items, "count": len(items)}
