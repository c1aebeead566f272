"""The facility's queue desk (bridging-signed): call a booking's number, record its task times
(Antrean `updatewaktu`). Each write takes an Idempotency-Key; answers are the bridging
envelope; every call is audited."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from common.partner_docs import body_doc
from common.text import path_text
from services.referral.api.deps import PARTNERS, AnyFacility, Guarded, Now
from services.referral.domain.queue_commands import CallBooking, RecordTaskTime
from services.referral.handlers import queue_desk as handlers

router = APIRouter(prefix="/v1/partners/facility/queue", tags=["partners"])
BookingCode = path_text(19)


class TaskTimeCreate(BaseModel):
    """`updatewaktu`: the task id and its time in epoch milliseconds (`waktu`)."""

    model_config = ConfigDict(extra="forbid")

    task_id: int = Field(ge=1, le=99)
    time: int = Field(ge=0, le=10**14)


@router.post("/{booking_code}/call")
async def call(booking_code: BookingCode, request: Request, partner: AnyFacility,
               guard: Guarded, now: Now):
    """Call the number to the doctor's room; the member is pushed at once. Once per
    Idempotency-Key: a resent call gets the first answer."""
    cmd = CallBooking(partner.facility_code or "", booking_code)
    return await PARTNERS.write(request, partner, guard, None,
                                lambda conn: handlers.call(conn, cmd, now=now))


@router.post("/{booking_code}/tasks",
             openapi_extra=body_doc(TaskTimeCreate, {"task_id": 3, "time": 1764640800000}))
async def record_task(booking_code: BookingCode, request: Request, partner: AnyFacility,
                      guard: Guarded, now: Now):
    """One task time, in order (1-7, or 99 no-show); the booking moves with it. Once per
    Idempotency-Key."""
    body = await PARTNERS.parsed(request, TaskTimeCreate, await request.body(), partner)
    cmd = RecordTaskTime(partner.facility_code or "", booking_code, body.task_id, body.time)
    return await PARTNERS.write(request, partner, guard, body,
                                lambda conn: handlers.record_task(conn, cmd, now=now))
