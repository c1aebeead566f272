"""Weekly schedules: day codes 1-8, sessions and their bounds, which sessions run on a date."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from common.errors import InvalidInput
from services.referral.domain.schedules import (
    HOLIDAY,
    Session,
    change_effective_on,
    check_weekly_schedule,
    day_code,
    local_date,
    parse_hours,
    sessions_on,
)

MONDAY = date(2026, 11, 30)
MORNING = Session("D1", "INT", 1, time(8), time(12), 30, 10, 10)


@pytest.mark.parametrize("offset", range(7))
def test_day_codes_are_monday_1_to_sunday_7(offset):
    assert day_code(MONDAY + timedelta(days=offset)) == offset + 1


def test_a_holiday_is_day_8():
    christmas = date(2026, 12, 25)  # a Friday
    assert day_code(christmas) == 5
    assert day_code(christmas, {christmas}) == HOLIDAY == 8


def test_sessions_on_a_date_by_start_then_doctor():
    afternoon = replace(MORNING, doctor_id="D2", start=time(13), end=time(16))
    early = replace(MORNING, doctor_id="D3", start=time(7), end=time(9))
    tuesday = replace(MORNING, day_code=2)
    holiday = replace(MORNING, doctor_id="D9", day_code=8)
    same_start = replace(MORNING, doctor_id="D0")
    week = [afternoon, MORNING, tuesday, holiday, early, same_start]
    assert sessions_on(week, MONDAY) == [early, same_start, MORNING, afternoon]
    assert sessions_on(week, date(2026, 12, 1)) == [tuesday]
    assert sessions_on(week, MONDAY, {MONDAY}) == [holiday]
    assert sessions_on(week, date(2026, 12, 6)) == []  # Sunday


def test_the_session_s_hours_and_moments_in_wib():
    assert MORNING.hours == "08:00-12:00"
    assert MORNING.starts_at(MONDAY) == datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    assert MORNING.ends_at(MONDAY) == datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"day_code": 0}, "day_code"), ({"day_code": 9}, "day_code"),
        ({"end": time(8)}, "end"), ({"end": time(7, 59)}, "end"),
        ({"quota_jkn": -1}, "quota_jkn"), ({"quota_non_jkn": -1}, "quota_non_jkn"),
        ({"quota_jkn": 0, "quota_non_jkn": 0}, "quota_jkn"),
        ({"service_minutes": 0}, "service_minutes"),
    ],
)  # fmt: skip
def test_a_wrong_session_names_the_field(bad, field):
    with pytest.raises(InvalidInput) as caught:
        replace(MORNING, **bad)
    assert caught.value.fields == (field,)


@pytest.mark.parametrize(
    "edge",
    [{"day_code": 1}, {"day_code": 8}, {"end": time(8, 1)}, {"quota_jkn": 0},
     {"quota_non_jkn": 0}, {"service_minutes": 1}, {"start": time(0), "end": time(23, 59)}],
)  # fmt: skip
def test_the_bounds_themselves_are_allowed(edge):
    replace(MORNING, **edge)


def test_hours_parse_and_refuse_their_wrong_forms():
    assert parse_hours("08:00-12:00") == (time(8), time(12))
    assert parse_hours(" 13:30-16:45 ") == (time(13, 30), time(16, 45))
    for bad in ("8:00-12:00", "08:00 - 12:00", "24:00-25:00", "08:60-09:00", "08:00", ""):
        with pytest.raises(InvalidInput) as caught:
            parse_hours(bad, field="jampraktek")
        assert caught.value.fields == ("jampraktek",)


def test_a_doctor_cannot_be_in_two_sessions_at_once():
    back_to_back = replace(MORNING, start=time(12), end=time(15))
    other_doctor = replace(MORNING, doctor_id="D2")
    other_day = replace(MORNING, day_code=2)
    check_weekly_schedule([MORNING, back_to_back, other_doctor, other_day])
    overlap = replace(MORNING, start=time(11, 59), end=time(15))
    with pytest.raises(InvalidInput) as caught:
        check_weekly_schedule([overlap, MORNING])
    assert (caught.value.code, caught.value.fields) == ("sessions_overlap", ("start",))


def test_a_schedule_change_takes_effect_the_next_wib_day():
    # 18:00 UTC on the 30th is 01:00 WIB on 1 December: effective on the 2nd.
    assert change_effective_on(datetime(2026, 11, 30, 18, 0, tzinfo=UTC)) == date(2026, 12, 2)
    assert change_effective_on(datetime(2026, 11, 30, 16, 59, tzinfo=UTC)) == date(2026, 12, 1)
    with pytest.raises(ValueError):
        local_date(datetime(2026, 11, 30, 12))
