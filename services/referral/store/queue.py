"""The online queue's SQL: sessions and their counters, bookings, task times.

Lock order, everywhere: the session row first, then its bookings. A booking takes its slot with
one conditional UPDATE on the session (the row lock makes concurrent bookings for the last slot
wait, and PostgreSQL re-checks `booked < quota` on the row the winner committed, so the loser
finds it full); a cancel locks the same session row before touching the booking.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

from services.referral.domain.bookings import PatientKind
from services.referral.domain.queue import WAITING, Status

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool

_WAITING = [s.value for s in WAITING]
_COUNTER = {PatientKind.JKN: "booked_jkn", PatientKind.NON_JKN: "booked_non_jkn"}
_QUOTA = {PatientKind.JKN: "quota_jkn", PatientKind.NON_JKN: "quota_non_jkn"}
# Migration 0004's partial unique index: one waiting booking per member per session.
ONE_PER_SESSION = "queue_bookings_one_per_session"


async def schedules_on(conn: Executor, facility_code: str, poli_code: str, day: int) -> list[Row]:
    """The facility's weekly sessions of a poli on a day code."""
    return await conn.fetch(
        "SELECT schedule_id, doctor_id, poli_code, day_code, start_time, end_time, quota_jkn,"
        " quota_non_jkn, service_minutes FROM schedules"
        " WHERE facility_code = $1 AND poli_code = $2 AND day_code = $3",
        facility_code, poli_code, day)


async def opened_sessions(conn: Executor, schedule_ids: list[int], on: date) -> dict[int, Row]:
    """The sessions already opened for these schedules on a date, by schedule: id and load."""
    rows = await conn.fetch(
        "SELECT schedule_id, session_id, booked_jkn, quota_jkn, booked_non_jkn, quota_non_jkn"
        " FROM queue_sessions WHERE schedule_id = ANY($1) AND service_date = $2",
        schedule_ids, on)
    return {r["schedule_id"]: r for r in rows}


async def open_session(conn: asyncpg.Connection, schedule: Row, facility_code: str,
                       on: date, starts_at: datetime, ends_at: datetime) -> int:
    """The session of a schedule on a date, opened with the schedule's quotas if it is new
    (two first bookings at once: one inserts, the other waits for it and reads it)."""
    session_id = await conn.fetchval(
        "INSERT INTO queue_sessions (schedule_id, service_date, facility_code, poli_code,"
        " doctor_id, starts_at, ends_at, service_minutes, quota_jkn, quota_non_jkn)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " ON CONFLICT (schedule_id, service_date) DO NOTHING RETURNING session_id",
        schedule["schedule_id"], on, facility_code, schedule["poli_code"],
        schedule["doctor_id"], starts_at, ends_at, schedule["service_minutes"],
        schedule["quota_jkn"], schedule["quota_non_jkn"])
    if session_id is None:
        session_id = await conn.fetchval(
            "SELECT session_id FROM queue_sessions WHERE schedule_id = $1 AND service_date = $2",
            schedule["schedule_id"], on)
    return session_id


async def take_slot(conn: asyncpg.Connection, session_id: int, kind: PatientKind) -> Row | None:
    """Count one more booking of `kind` and hand out the next number, or None when full."""
    booked, quota = _COUNTER[kind], _QUOTA[kind]
    return await conn.fetchrow(
        f"UPDATE queue_sessions SET {booked} = {booked} + 1, last_number = last_number + 1"
        f" WHERE session_id = $1 AND {booked} < {quota}"
        " RETURNING last_number, doctor_id, starts_at, ends_at, service_minutes",
        session_id)


async def free_slot(conn: asyncpg.Connection, session_id: int, kind: PatientKind) -> None:
    """A booking that stopped waiting gives its slot back (never its number)."""
    booked = _COUNTER[kind]
    await conn.execute(
        f"UPDATE queue_sessions SET {booked} = {booked} - 1 WHERE session_id = $1", session_id)


async def count_ahead(conn: Executor, session_id: int, queue_number: int) -> int:
    """The session's lower numbers still waiting or with the doctor."""
    return await conn.fetchval(
        "SELECT count(*) FROM queue_bookings WHERE session_id = $1 AND queue_number < $2"
        " AND status = ANY($3)", session_id, queue_number, _WAITING)


async def insert_booking(conn: asyncpg.Connection, *, booking_code: str, session_id: int,
                         member_id: uuid.UUID, kind: PatientKind, visit_kind: str | None,
                         referral_number: str | None, control_letter_number: str | None,
                         queue_number: int, estimated_service_at: datetime,
                         now: datetime) -> bool:
    """Write the booking; False when the member already waits in this session (the
    transaction is then aborted, to be rolled back)."""
    try:
        await conn.execute(
            "INSERT INTO queue_bookings (booking_code, session_id, member_id, patient_kind,"
            " visit_kind, referral_number, control_letter_number, queue_number, status,"
            " estimated_service_at, booked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
            " 'booked', $9, $10)", booking_code, session_id, member_id, kind.value, visit_kind,
            referral_number, control_letter_number, queue_number, estimated_service_at, now)
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name != ONE_PER_SESSION:
            raise
        return False
    return True


_VIEW = """
SELECT b.booking_code, b.session_id, b.member_id, b.patient_kind, b.visit_kind,
       b.referral_number, b.control_letter_number, b.queue_number, b.status, b.new_patient,
       b.estimated_service_at, b.booked_at, b.checked_in_at, b.called_at, b.ended_at,
       b.end_reason, s.facility_code, s.poli_code, s.doctor_id, s.service_date, s.starts_at,
       s.ends_at, s.service_minutes, f.name AS facility_name,
       CASE WHEN b.status = ANY($2) THEN (
           SELECT count(*) FROM queue_bookings o WHERE o.session_id = b.session_id
              AND o.queue_number < b.queue_number AND o.status = ANY($2)) END AS ahead
FROM queue_bookings b JOIN queue_sessions s USING (session_id)
     JOIN facilities f ON f.code = s.facility_code
"""


async def member_bookings(conn: Executor, member_id: uuid.UUID, limit: int = 100) -> list[Row]:
    """A member's bookings, latest visit date first, each with the people ahead if waiting."""
    return await conn.fetch(
        _VIEW + " WHERE b.member_id = $1 ORDER BY s.service_date DESC, s.starts_at DESC,"
        " b.booking_code DESC LIMIT $3", member_id, _WAITING, limit)


async def booking(conn: Executor, booking_code: str) -> Row | None:
    """One booking with its session and the people ahead (if waiting)."""
    return await conn.fetchrow(_VIEW + " WHERE b.booking_code = $1", booking_code, _WAITING)


async def lock_booking(conn: asyncpg.Connection, booking_code: str) -> Row | None:
    """The booking and its session, both row-locked, the session first (the lock order)."""
    session_id = await conn.fetchval(
        "SELECT session_id FROM queue_bookings WHERE booking_code = $1", booking_code)
    if session_id is None:
        return None
    await conn.execute(
        "SELECT 1 FROM queue_sessions WHERE session_id = $1 FOR UPDATE", session_id)
    await conn.execute(
        "SELECT 1 FROM queue_bookings WHERE booking_code = $1 FOR UPDATE", booking_code)
    return await booking(conn, booking_code)


async def set_status(conn: asyncpg.Connection, booking_code: str, status: Status,
                     now: datetime, reason: str | None = None) -> None:
    """Move a booking; the moment goes in the column of its new state."""
    stamp = {Status.CHECKED_IN: "checked_in_at", Status.CALLED: "called_at"}.get(
        status, "ended_at")
    await conn.execute(
        f"UPDATE queue_bookings SET status = $2, {stamp} = $3,"
        " end_reason = coalesce($4, end_reason) WHERE booking_code = $1",
        booking_code, status.value, now, reason)


async def task_times(conn: Executor, booking_code: str) -> list[Row]:
    return await conn.fetch(
        "SELECT task_id, at_ms FROM queue_task_times WHERE booking_code = $1 ORDER BY at_ms",
        booking_code)


async def add_task_time(conn: asyncpg.Connection, booking_code: str, task_id: int, at_ms: int,
                        now: datetime) -> None:
    await conn.execute(
        "INSERT INTO queue_task_times (booking_code, task_id, at_ms, recorded_at)"
        " VALUES ($1, $2, $3, $4)", booking_code, task_id, at_ms, now)


async def mark_new_patient(conn: asyncpg.Connection, booking_code: str) -> None:
    """Task 1 (admission) comes only for a new patient: the path follows the first task."""
    await conn.execute(
        "UPDATE queue_bookings SET new_patient = true WHERE booking_code = $1", booking_code)
