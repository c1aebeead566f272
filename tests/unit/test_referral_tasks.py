"""Task times of a visit: ids 1-7 and 99, their order for new and returning patients, times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from common.errors import Conflict, InvalidInput, RuleViolated
from services.referral.domain.queue import Status
from services.referral.domain.rules import TASK_CLOCK_SKEW
from services.referral.domain.tasks import (
    NEW_PATIENT_PATH,
    RETURNING_PATIENT_PATH,
    Task,
    TaskTime,
    check_next_task,
    next_tasks,
    status_after,
)

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
T0 = int((NOW - timedelta(hours=2)).timestamp() * 1000)


def _history(ids):
    return [TaskTime(t, T0 + i * 60_000) for i, t in enumerate(ids)]


def test_the_paths():
    assert [int(t) for t in NEW_PATIENT_PATH] == [1, 2, 3, 4, 5, 6, 7]
    assert [int(t) for t in RETURNING_PATIENT_PATH] == [3, 4, 5, 6, 7]
    assert {int(t) for t in Task} == {1, 2, 3, 4, 5, 6, 7, 99}


@pytest.mark.parametrize(
    ("new", "done", "allowed"),
    [
        (True, [], {1, 99}),
        (True, [1], {2, 99}),
        (True, [1, 2], {3, 99}),
        (True, [1, 2, 3], {4, 99}),
        (True, [1, 2, 3, 4], {5}),
        (True, [1, 2, 3, 4, 5], {6}),
        (True, [1, 2, 3, 4, 5, 6], {7}),
        (True, [1, 2, 3, 4, 5, 6, 7], set()),
        (True, [1, 99], set()),
        (False, [], {3, 99}),
        (False, [3], {4, 99}),
        (False, [3, 4], {5}),
        (False, [3, 4, 5, 6, 7], set()),
        (False, [99], set()),
    ],
)
def test_what_may_come_next(new, done, allowed):
    assert next_tasks(done, new) == allowed


@pytest.mark.parametrize("new", [True, False])
def test_a_whole_visit_in_order_with_increasing_times_passes(new):
    ids = [int(t) for t in (NEW_PATIENT_PATH if new else RETURNING_PATIENT_PATH)]
    done: list[TaskTime] = []
    for record in _history(ids):
        check_next_task(done, record, new_patient=new, now=NOW)
        done.append(record)


@pytest.mark.parametrize(
    ("new", "done", "task"),
    [
        (True, [], 3),  # a new patient starts at admission
        (False, [], 1),  # a returning one skips it
        (True, [1], 3),  # no skipping
        (True, [1, 2], 2),  # no repeats
        (False, [3, 4, 5], 4),  # no going back
        (False, [3, 4], 99),  # at the poli: too late for a no-show
        (False, [3, 4, 5, 6, 7], 7),
        (True, [1, 99], 2),  # nothing after 99
    ],
)
def test_out_of_order_is_refused_naming_the_task(new, done, task):
    history = _history(done)
    at = T0 + len(done) * 60_000
    with pytest.raises(RuleViolated) as caught:
        check_next_task(history, TaskTime(task, at), new_patient=new, now=NOW)
    assert (caught.value.code, caught.value.fields) == ("task_out_of_order", ("task_id",))


@pytest.mark.parametrize("task", [0, 8, 98, 100, -1])
def test_unknown_task_ids_are_invalid(task):
    with pytest.raises(InvalidInput) as caught:
        check_next_task([], TaskTime(task, T0), new_patient=True, now=NOW)
    assert (caught.value.code, caught.value.fields) == ("unknown_task", ("task_id",))


def test_times_must_increase_strictly():
    done = _history([3])
    check_next_task(done, TaskTime(4, done[-1].at_ms + 1), new_patient=False, now=NOW)
    for at in (done[-1].at_ms, done[-1].at_ms - 1):
        with pytest.raises(InvalidInput) as caught:
            check_next_task(done, TaskTime(4, at), new_patient=False, now=NOW)
        assert (caught.value.code, caught.value.fields) == ("task_time_not_later", ("time",))


def test_times_may_run_ahead_of_our_clock_by_the_skew_only():
    edge = int((NOW + TASK_CLOCK_SKEW).timestamp() * 1000)
    check_next_task([], TaskTime(1, edge), new_patient=True, now=NOW)
    with pytest.raises(InvalidInput) as caught:
        check_next_task([], TaskTime(1, edge + 1), new_patient=True, now=NOW)
    assert (caught.value.code, caught.value.fields) == ("task_time_in_future", ("time",))


@pytest.mark.parametrize(
    ("status", "task", "after"),
    [
        (Status.BOOKED, Task.ADMISSION_WAIT, Status.CHECKED_IN),
        (Status.BOOKED, Task.POLI_WAIT, Status.CHECKED_IN),
        (Status.CHECKED_IN, Task.ADMISSION_WAIT, Status.CHECKED_IN),
        (Status.CHECKED_IN, Task.ADMISSION_SERVICE, Status.CHECKED_IN),
        (Status.CHECKED_IN, Task.POLI_WAIT, Status.CHECKED_IN),
        (Status.CHECKED_IN, Task.POLI_SERVICE, Status.CALLED),
        (Status.BOOKED, Task.POLI_SERVICE, Status.CALLED),
        (Status.CALLED, Task.POLI_SERVICE, Status.CALLED),  # called first, then task 4
        (Status.CALLED, Task.PHARMACY_WAIT, Status.SERVED),
        (Status.SERVED, Task.PHARMACY_SERVICE, Status.SERVED),
        (Status.SERVED, Task.DRUGS_READY, Status.SERVED),
        (Status.BOOKED, Task.NO_SHOW, Status.NO_SHOW),
        (Status.CHECKED_IN, Task.NO_SHOW, Status.NO_SHOW),
    ],
)
def test_each_task_moves_the_booking(status, task, after):
    assert status_after(status, task) is after


@pytest.mark.parametrize(
    ("status", "task"),
    [(Status.CANCELLED, Task.POLI_SERVICE), (Status.CHECKED_IN, Task.PHARMACY_WAIT),
     (Status.CALLED, Task.NO_SHOW), (Status.CANCELLED, Task.NO_SHOW)],
)  # fmt: skip
def test_a_task_the_booking_s_state_refuses_is_a_conflict(status, task):
    with pytest.raises(Conflict) as caught:
        status_after(status, task)
    assert caught.value.fields == ("booking_code",)
