"""The queue's command checks: the booking code's form, the cancel reasons, what a booking's
referral_number may name, the quota refusal and the check-in window of an opened session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from common.errors import InvalidInput, RuleViolated
from services.referral.domain.bookings import quota_full
from services.referral.domain.numbers import Kind
from services.referral.domain.queue import check_check_in_window
from services.referral.domain.queue_commands import (
    CANCEL_REASONS,
    check_booking_code,
    check_cancel_reason,
    referral_document,
)
from services.referral.domain.rules import WIB

STARTS = datetime(2026, 12, 2, 8, 0, tzinfo=WIB)
ENDS = datetime(2026, 12, 2, 12, 0, tzinfo=WIB)


def test_a_booking_code_is_a_kind_a_document_number():
    assert check_booking_code(" 0001r0011226a000007 ") == "0001R0011226A000007"
    with pytest.raises(InvalidInput) as e:
        check_booking_code("0001R0011226P000007")  # a referral's number
    assert e.value.fields == ("booking_code",) and e.value.code == "wrong_document_kind"
    with pytest.raises(InvalidInput) as e:
        check_booking_code("not-a-code")
    assert e.value.code == "invalid_document_number"


@pytest.mark.parametrize("reason", sorted(CANCEL_REASONS))
def test_the_listed_cancel_reasons_are_taken(reason):
    assert check_cancel_reason(reason) == reason


def test_another_cancel_reason_names_the_field():
    with pytest.raises(InvalidInput) as e:
        check_cancel_reason("no_show")  # the facility's, through task 99
    assert e.value.fields == ("reason",)


def test_a_booking_brings_a_referral_or_a_control_letter():
    assert referral_document("0001G0011126P000123") == (Kind.REFERRAL, "0001G0011126P000123")
    assert referral_document("0001R0011226K000004") == (Kind.CONTROL_LETTER,
                                                         "0001R0011226K000004")
    with pytest.raises(InvalidInput) as e:
        referral_document("0001R0011226A000004")
    assert e.value.fields == ("referral_number",) and e.value.code == "wrong_document_kind"


def test_quota_full_names_the_date():
    error = quota_full()
    assert isinstance(error, RuleViolated)
    assert (error.code, error.fields) == ("quota_full", ("date",))


@pytest.mark.parametrize(("now", "code"), [
    (STARTS - timedelta(minutes=61), "check_in_not_open"),
    (STARTS - timedelta(minutes=60), None),
    (ENDS - timedelta(seconds=1), None),
    (ENDS, "check_in_closed"),
])
def test_check_in_of_an_opened_session_runs_from_an_hour_before_to_its_end(now, code):
    if code is None:
        check_check_in_window(STARTS, ENDS, now)
        return
    with pytest.raises(RuleViolated) as e:
        check_check_in_window(STARTS, ENDS, now)
    assert e.value.code == code and e.value.fields == ("time",)


def test_the_window_is_told_in_wib_whatever_zone_the_session_came_in():
    with pytest.raises(RuleViolated) as e:
        check_check_in_window(STARTS.astimezone(UTC), ENDS.astimezone(UTC),
                              STARTS - timedelta(hours=3))
    assert "07:00 WIB on 2026-12-02" in e.value.detail
