"""The facility's side of the online queue: call a number, record task times (`updatewaktu`).

A facility sees only the bookings of its own sessions; another's code answers not found.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

import asyncpg

from common.errors import NotFound
from contracts import events
from services.referral.domain import queue, tasks
from services.referral.domain.polis import poli_name
from services.referral.domain.queue import Status
from services.referral.domain.queue_commands import CallBooking, RecordTaskTime, check_booking_code
from services.referral.handlers.queue import end_booking, view
from services.referral.store import queue as store
from services.referral.store.events import stage


async def _locked_here(conn: asyncpg.Connection, facility_code: str, raw_code: str) -> Any:
    row = await store.lock_booking(conn, check_booking_code(raw_code))
    if row is None or row["facility_code"] != facility_code:
        raise NotFound("booking_not_found", "No booking at this facility has this code.",
                       "Tidak ada antrean di faskes ini dengan kode tersebut.",
                       field="booking_code")
    return row


async def _called(conn: asyncpg.Connection, row: Any, now: datetime) -> None:
    await store.set_status(conn, row["booking_code"], Status.CALLED, now)
    await stage(conn, events.QueueNumberCalled(
        booking_code=row["booking_code"], member_id=row["member_id"],
        facility_code=row["facility_code"], poli_code=row["poli_code"],
        queue_number=row["queue_number"], called_at=now,
        queue_label=queue.queue_label(row["poli_code"], row["queue_number"]),
        facility_name=row["facility_name"], poli_name=poli_name(row["poli_code"])),
        str(row["member_id"]))


async def call(conn: asyncpg.Connection, cmd: CallBooking, *, now: datetime) -> dict[str, Any]:
    """Call a booked or checked-in number to the doctor's room; the member is told at once."""
    row = await _locked_here(conn, cmd.facility_code, cmd.booking_code)
    queue.move(Status(row["status"]), "call")
    await _called(conn, row, now)
    return view(await store.booking(conn, row["booking_code"]))


async def record_task(conn: asyncpg.Connection, cmd: RecordTaskTime, *, now: datetime,
                      ) -> dict[str, Any]:
    """Record one task time in order; the booking moves with it (check-in, call, done,
    no-show)."""
    row = await _locked_here(conn, cmd.facility_code, cmd.booking_code)
    done = [tasks.TaskTime(r["task_id"], r["at_ms"]) for r in await store.task_times(
        conn, row["booking_code"])]
    # The first task tells the path: admission (1) only for a new patient, else the poli (3).
    new_patient = row["new_patient"] or (not done and cmd.task_id == tasks.Task.ADMISSION_WAIT)
    task = tasks.TaskTime(cmd.task_id, cmd.at_ms)
    tasks.check_next_task(done, task, new_patient=new_patient, now=now)
    status = Status(row["status"])
    after = tasks.status_after(status, tasks.Task(cmd.task_id))
    await store.add_task_time(conn, row["booking_code"], cmd.task_id, cmd.at_ms, now)
    if new_patient and not row["new_patient"]:
        await store.mark_new_patient(conn, row["booking_code"])
    if after is Status.CALLED and status is not Status.CALLED:
        await _called(conn, row, now)
    elif after is Status.NO_SHOW:
        await end_booking(conn, row, after, "no_show", now)
    elif after is not status:
        await store.set_status(conn, row["booking_code"], after, now)
    answer = view(await store.booking(conn, row["booking_code"]))
    answer["tasks"] = [*({"task_id": t.task_id, "time": t.at_ms} for t in done),
                       {"task_id": task.task_id, "time": task.at_ms}]
    return answer


COMMANDS: dict[type, Callable[..., Awaitable[Any]]] = {
    CallBooking: call,
    RecordTaskTime: record_task,
}
