"""The online queue (antrean) of a session: numbers, waits, and a booking's states.

Decisions where domain.md §3 leaves it to us:
- One line per session: JKN and non-JKN patients share the numbering 1, 2, 3... while their
  quotas are counted apart (R21). A cancelled booking frees its quota slot, never its number.
- The people ahead of a member are the lower numbers still in the session: booked, checked in
  or called. Someone called is in the doctor's room and still ahead until the poli is done
  (task 5: "the remaining count drops at 5", §4).
- The estimate at booking is session start + service minutes x people ahead (R23's SPM).
- A member cancels until called; check-in opens CHECKIN_OPENS_BEFORE the session start and
  closes at its end; the facility may call a booking that is booked or checked in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal

from common.errors import Conflict
from services.referral.domain.refusals import refused
from services.referral.domain.rules import CHECKIN_OPENS_BEFORE, WIB
from services.referral.domain.schedules import Session


class Status(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CALLED = "called"
    SERVED = "served"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


WAITING: frozenset[Status] = frozenset({Status.BOOKED, Status.CHECKED_IN, Status.CALLED})

Action = Literal["check_in", "call", "cancel", "serve", "no_show"]
# What may happen to a booking in each state; anything else is a Conflict.
_MOVES: dict[Action, dict[Status, Status]] = {
    "check_in": {Status.BOOKED: Status.CHECKED_IN},
    "call": {Status.BOOKED: Status.CALLED, Status.CHECKED_IN: Status.CALLED},
    "cancel": {Status.BOOKED: Status.CANCELLED, Status.CHECKED_IN: Status.CANCELLED},
    "serve": {Status.CALLED: Status.SERVED},
    "no_show": {Status.BOOKED: Status.NO_SHOW, Status.CHECKED_IN: Status.NO_SHOW},
}
_DONE: dict[Action, str] = {
    "check_in": "checked in",
    "call": "called",
    "cancel": "cancelled",
    "serve": "served",
    "no_show": "marked as a no-show",
}


def move(status: Status, action: Action) -> Status:
    """The state after an action; Conflict naming `booking_code` if the state does not allow it."""
    new = _MOVES[action].get(status)
    if new is None:
        raise Conflict(
            f"cannot_{action}",
            f"The booking is {status.value.replace('_', ' ')}; it cannot be {_DONE[action]} now.",
            f"Status antrean saat ini tidak memungkinkan tindakan ini ({action}).",
            field="booking_code",
        )
    return new


def next_queue_number(last_issued: int | None) -> int:
    """The next number in a session: one more than the last ever issued (1 for the first)."""
    return 1 if last_issued is None else last_issued + 1


def queue_label(poli_code: str, number: int) -> str:
    """The number as a screen calls it (`nomorantrean`): INT-007."""
    return f"{poli_code}-{number:03d}"


def estimated_service_at(session_start: datetime, service_minutes: int, ahead: int) -> datetime:
    """When the member should be seen: session start + service minutes x people ahead."""
    return session_start + timedelta(minutes=service_minutes * ahead)


def wait_seconds(service_minutes: int, ahead: int) -> int:
    """R23's remaining wait (`waktutunggu`): SPM x (remaining - 1), remaining counting oneself."""
    return service_minutes * 60 * ahead


def people_ahead(number: int, queue: Iterable[tuple[int, Status]]) -> int:
    """How many of the session's lower numbers are still waiting or with the doctor."""
    return sum(1 for n, status in queue if n < number and status in WAITING)


def check_check_in_time(session: Session, on: date, now: datetime) -> None:
    """Refuse a check-in outside [session start - CHECKIN_OPENS_BEFORE, session end)."""
    check_check_in_window(session.starts_at(on), session.ends_at(on), now)


def check_check_in_window(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """check_check_in_time for a session already opened on its date (its moments stored)."""
    opens = (starts_at - CHECKIN_OPENS_BEFORE).astimezone(WIB)
    if now < opens:
        raise refused(
            "time",
            "check_in_not_open",
            f"Check-in opens at {opens:%H:%M} WIB on {opens.date().isoformat()}.",
            f"Check-in dibuka pukul {opens:%H:%M} WIB tanggal {opens.date().isoformat()}.",
        )
    if now >= ends_at:
        raise refused(
            "time",
            "check_in_closed",
            "The session has ended; check-in is closed.",
            "Sesi sudah berakhir; check-in ditutup.",
        )
