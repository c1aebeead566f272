"""The queue of a session: numbers, estimated service time, people ahead, states, check-in."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from common.errors import Conflict, RuleViolated
from services.referral.domain.queue import (
    Status,
    check_check_in_time,
    estimated_service_at,
    move,
    next_queue_number,
    people_ahead,
    queue_label,
    wait_seconds,
)
from services.referral.domain.rules import CHECKIN_OPENS_BEFORE, WIB
from services.referral.domain.schedules import Session

TODAY = date(2026, 12, 1)  # a Tuesday
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)
SESSION = Session("D1", "INT", 2, time(8), time(12), 2, 1, 10)


def test_queue_numbers_follow_the_last_issued():
    assert next_queue_number(None) == 1
    assert next_queue_number(1) == 2
    assert next_queue_number(41) == 42
    assert queue_label("INT", 7) == "INT-007" and queue_label("UMU", 123) == "UMU-123"


@pytest.mark.parametrize(
    ("ahead", "eta"), [(0, time(8)), (1, time(8, 10)), (6, time(9)), (30, time(13))]
)
def test_estimated_service_is_start_plus_minutes_times_people_ahead(ahead, eta):
    start = SESSION.starts_at(TODAY)
    assert estimated_service_at(start, SESSION.service_minutes, ahead) == datetime.combine(
        TODAY, eta, WIB
    )
    assert wait_seconds(10, ahead) == 600 * ahead


def test_people_ahead_count_the_lower_numbers_not_done():
    queue = [
        (1, Status.SERVED),
        (2, Status.CALLED),  # with the doctor: still ahead until task 5
        (3, Status.CANCELLED),
        (4, Status.NO_SHOW),
        (5, Status.CHECKED_IN),
        (6, Status.BOOKED),
        (7, Status.BOOKED),  # me
        (8, Status.BOOKED),
    ]
    assert people_ahead(7, queue) == 3
    assert people_ahead(1, queue) == 0
    assert people_ahead(2, queue) == 0
    assert people_ahead(9, queue) == 5
    assert people_ahead(7, []) == 0


# --- states: check-in, call, cancel -----------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (Status.BOOKED, "check_in", Status.CHECKED_IN),
        (Status.BOOKED, "call", Status.CALLED),
        (Status.CHECKED_IN, "call", Status.CALLED),
        (Status.BOOKED, "cancel", Status.CANCELLED),
        (Status.CHECKED_IN, "cancel", Status.CANCELLED),
        (Status.CALLED, "serve", Status.SERVED),
        (Status.BOOKED, "no_show", Status.NO_SHOW),
        (Status.CHECKED_IN, "no_show", Status.NO_SHOW),
    ],
)
def test_allowed_moves(status, action, after):
    assert move(status, action) is after


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.CALLED, "cancel"), (Status.SERVED, "cancel"), (Status.CANCELLED, "cancel"),
        (Status.CHECKED_IN, "check_in"), (Status.CANCELLED, "check_in"),
        (Status.CALLED, "check_in"), (Status.CALLED, "call"), (Status.CANCELLED, "call"),
        (Status.SERVED, "call"), (Status.NO_SHOW, "call"), (Status.BOOKED, "serve"),
        (Status.CALLED, "no_show"), (Status.SERVED, "no_show"),
    ],
)  # fmt: skip
def test_refused_moves_are_conflicts_naming_the_booking(status, action):
    with pytest.raises(Conflict) as caught:
        move(status, action)
    assert (caught.value.code, caught.value.fields) == (f"cannot_{action}", ("booking_code",))
    assert caught.value.detail.endswith("now.") and caught.value.detail_id


def test_check_in_opens_an_hour_before_the_session_and_closes_at_its_end():
    start = SESSION.starts_at(TODAY)
    check_check_in_time(SESSION, TODAY, start - CHECKIN_OPENS_BEFORE)
    check_check_in_time(SESSION, TODAY, SESSION.ends_at(TODAY) - timedelta(seconds=1))
    with pytest.raises(RuleViolated) as caught:
        check_check_in_time(SESSION, TODAY, start - CHECKIN_OPENS_BEFORE - timedelta(seconds=1))
    assert (caught.value.code, caught.value.fields) == ("check_in_not_open", ("time",))
    assert "07:00" in caught.value.detail
    with pytest.raises(RuleViolated) as caught:
        check_check_in_time(SESSION, TODAY, SESSION.ends_at(TODAY))
    assert caught.value.code == "check_in_closed"
    with pytest.raises(RuleViolated):  # the day before
        check_check_in_time(SESSION, TODAY + timedelta(days=1), NOW)
