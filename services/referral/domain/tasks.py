"""The task times a facility records for a booked visit (Antrean `updatewaktu`, R22).

Task ids (domain.md §4): 1 admission wait, 2 admission service, 3 poli wait, 4 poli service,
5 pharmacy wait, 6 pharmacy service, 7 drugs ready, 99 no-show or cancel.
A new patient goes 1, 2, 3, 4, 5 and may go on to 6 and 7; a returning patient skips admission
and goes 3, 4, 5 (then 6, 7). Each task comes exactly once, in that order, with a later time
than the one before (domain.md §4 says increasing; R22's "non-decreasing" is read as allowing
nothing more: two tasks at the same millisecond are refused). 99 ends a booking that has not
reached the poli (before task 4); nothing follows 99 or 7.

Each task moves the booking (§4: "call at 4; the remaining count drops at 5"): the first task
of the path starts the waiting clock, so it checks a booked patient in; 4 is the call, 5 the
end of the poli visit, 99 a no-show.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from services.referral.domain.queue import Status, move
from services.referral.domain.refusals import invalid, refused
from services.referral.domain.rules import TASK_CLOCK_SKEW


class Task(IntEnum):
    ADMISSION_WAIT = 1
    ADMISSION_SERVICE = 2
    POLI_WAIT = 3
    POLI_SERVICE = 4
    PHARMACY_WAIT = 5
    PHARMACY_SERVICE = 6
    DRUGS_READY = 7
    NO_SHOW = 99


NEW_PATIENT_PATH: tuple[Task, ...] = (
    Task.ADMISSION_WAIT,
    Task.ADMISSION_SERVICE,
    Task.POLI_WAIT,
    Task.POLI_SERVICE,
    Task.PHARMACY_WAIT,
    Task.PHARMACY_SERVICE,
    Task.DRUGS_READY,
)
RETURNING_PATIENT_PATH: tuple[Task, ...] = NEW_PATIENT_PATH[2:]
# 99 is possible only until the patient is at the poli.
_NO_SHOW_BEFORE = Task.POLI_SERVICE


@dataclass(frozen=True, slots=True)
class TaskTime:
    """One recorded task: its id and its time in epoch milliseconds (as `waktu`)."""

    task_id: int
    at_ms: int


def path(new_patient: bool) -> tuple[Task, ...]:
    """The tasks a visit goes through, in order."""
    return NEW_PATIENT_PATH if new_patient else RETURNING_PATIENT_PATH


def next_tasks(done: Sequence[int], new_patient: bool) -> frozenset[Task]:
    """The task ids that may come next after those already recorded."""
    steps = path(new_patient)
    if not done:
        return frozenset({steps[0], Task.NO_SHOW})
    last = done[-1]
    if last == Task.NO_SHOW or last == steps[-1]:
        return frozenset()
    following = {steps[steps.index(Task(last)) + 1]}
    if last < _NO_SHOW_BEFORE:
        following.add(Task.NO_SHOW)
    return frozenset(following)


def check_next_task(
    done: Sequence[TaskTime], task: TaskTime, *, new_patient: bool, now: datetime
) -> None:
    """Refuse a task record that is unknown, out of order, not later, or in the future."""
    try:
        task_id = Task(task.task_id)
    except ValueError:
        raise invalid(
            "task_id",
            "unknown_task",
            "task_id is 1 to 7, or 99.",
            "task_id bernilai 1 sampai 7, atau 99.",
        ) from None
    if task_id not in next_tasks([t.task_id for t in done], new_patient):
        raise refused(
            "task_id",
            "task_out_of_order",
            "This task does not come next for this visit.",
            "Task ini bukan urutan berikutnya untuk kunjungan ini.",
        )
    if done and task.at_ms <= done[-1].at_ms:
        raise invalid(
            "time",
            "task_time_not_later",
            "A task's time must be later than the previous task's.",
            "Waktu task harus setelah waktu task sebelumnya.",
        )
    if task.at_ms > (now + TASK_CLOCK_SKEW).timestamp() * 1000:
        raise invalid(
            "time",
            "task_time_in_future",
            "A task's time cannot be in the future.",
            "Waktu task tidak boleh di masa depan.",
        )


def status_after(status: Status, task: Task) -> Status:
    """The booking's state once a task (already checked in order) is recorded."""
    if task in (Task.ADMISSION_WAIT, Task.POLI_WAIT) and status is Status.BOOKED:
        return move(status, "check_in")
    if task is Task.POLI_SERVICE and status is not Status.CALLED:
        return move(status, "call")
    if task is Task.PHARMACY_WAIT:
        return move(status, "serve")
    if task is Task.NO_SHOW:
        return move(status, "no_show")
    return status
