"""Booking the online queue: where a member may book, the date window, quotas, booking code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from common.errors import InvalidInput, NotFound, RuleViolated
from services.referral.domain.bookings import (
    PatientKind,
    SessionLoad,
    VisitKind,
    booking_code,
    check_booking_date,
    check_quota,
    check_route,
    check_session_open,
    sessions_for,
)
from services.referral.domain.control_letters import ControlLetter
from services.referral.domain.eligibility import Coverage, eligibility
from services.referral.domain.numbers import Kind, parse_document_number
from services.referral.domain.referrals import Referral, ServiceType, Site
from services.referral.domain.rules import BOOKING_DAYS_AHEAD, CHECKIN_OPENS_BEFORE, WIB
from services.referral.domain.schedules import Session

TODAY = date(2026, 12, 1)  # a Tuesday
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)
FKTP = Site("18710003", "fktp", True, frozenset({"UMU"}))
HOSPITAL = Site("1871R001", "fkrtl", True, frozenset({"INT", "JAN"}))
COVERAGE = Coverage("0001234567890", True, 3, "PBPU", FKTP.code)
CARD = COVERAGE.card_number
REFERRAL = Referral(
    "187100031226P000001", CARD, FKTP.code, HOSPITAL.code, "INT", "E11.9",
    ServiceType.OUTPATIENT, TODAY,
)  # fmt: skip
LETTER = ControlLetter(
    "1871R0011226K000001", REFERRAL.number, "1871R0011226V000001", CARD, HOSPITAL.code,
    "JAN", TODAY, TODAY + timedelta(days=14),
)  # fmt: skip
SESSION = Session("D1", "INT", 2, time(8), time(12), 2, 1, 10)


# --- where a member may book --------------------------------------------------------------


def _route(facility, coverage=COVERAGE, on=TODAY, **kwargs):
    member = eligibility(coverage, facility.code, facility.facility_type, on)
    kwargs.setdefault("poli_code", "INT" if facility is HOSPITAL else "UMU")
    return check_route(facility, member, card_number=CARD, on=on, **kwargs)


def test_a_member_books_at_their_own_fktp_without_a_referral():
    assert _route(FKTP) is None


def test_another_fktp_is_refused_naming_the_facility():
    other = Site("18710005", "fktp", True, frozenset({"UMU"}))
    with pytest.raises(RuleViolated) as caught:
        _route(other)
    assert (caught.value.code, caught.value.fields) == ("not_your_fktp", ("facility_code",))


@pytest.mark.parametrize(
    "coverage", [replace(COVERAGE, active=False), replace(COVERAGE, unpaid_months=1)]
)
def test_a_member_without_coverage_books_nowhere(coverage):
    for facility in (FKTP, HOSPITAL):
        with pytest.raises(RuleViolated) as caught:
            _route(facility, coverage, referral=REFERRAL)
        assert (caught.value.code, caught.value.fields) == ("coverage_not_active", ("card_number",))


def test_a_hospital_poli_needs_a_referral_or_control_letter():
    with pytest.raises(RuleViolated) as caught:
        _route(HOSPITAL)
    assert (caught.value.code, caught.value.fields) == ("referral_required", ("referral_number",))
    assert _route(HOSPITAL, referral=REFERRAL) is VisitKind.FKTP_REFERRAL
    assert _route(HOSPITAL, referral=REFERRAL, on=TODAY + timedelta(days=90)) == "1"


def test_the_referral_must_cover_the_poli_and_date():
    with pytest.raises(RuleViolated) as caught:
        _route(HOSPITAL, referral=REFERRAL, poli_code="JAN")
    assert caught.value.fields == ("poli_code",)
    with pytest.raises(RuleViolated) as caught:
        _route(HOSPITAL, referral=REFERRAL, on=TODAY + timedelta(days=91))
    assert caught.value.code == "referral_expired"


def test_a_control_letter_books_its_poli_as_a_control_visit():
    kind = _route(HOSPITAL, referral=REFERRAL, control=LETTER, poli_code="JAN",
                  on=LETTER.planned_on)  # fmt: skip
    assert kind is VisitKind.CONTROL
    with pytest.raises(RuleViolated) as caught:
        _route(HOSPITAL, referral=REFERRAL, control=LETTER, poli_code="JAN", on=TODAY)
    assert caught.value.code == "before_control_date"
    with pytest.raises(ValueError):
        _route(HOSPITAL, control=LETTER, poli_code="JAN", on=LETTER.planned_on)


def test_someone_else_s_document_is_not_found_for_this_member():
    theirs = replace(REFERRAL, card_number="0009999999999")
    with pytest.raises(NotFound) as caught:
        _route(HOSPITAL, referral=theirs)
    assert (caught.value.code, caught.value.fields) == ("document_not_found", ("referral_number",))
    with pytest.raises(NotFound):
        _route(HOSPITAL, referral=REFERRAL, control=replace(LETTER, card_number="0009999999999"),
               poli_code="JAN", on=LETTER.planned_on)  # fmt: skip


# --- dates and sessions -----------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 1, BOOKING_DAYS_AHEAD])
def test_bookings_from_today_through_the_window(days):
    check_booking_date(TODAY + timedelta(days=days), NOW)


def test_a_past_date_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as caught:
        check_booking_date(TODAY - timedelta(days=1), NOW)
    assert (caught.value.code, caught.value.fields) == ("date_in_past", ("date",))


def test_beyond_the_window_and_same_day_where_the_facility_refuses_it():
    with pytest.raises(RuleViolated) as caught:
        check_booking_date(TODAY + timedelta(days=BOOKING_DAYS_AHEAD + 1), NOW)
    assert (caught.value.code, caught.value.fields) == ("date_beyond_window", ("date",))
    with pytest.raises(RuleViolated) as caught:
        check_booking_date(TODAY, NOW, same_day=False)
    assert caught.value.code == "no_same_day_booking"
    check_booking_date(TODAY + timedelta(days=1), NOW, same_day=False)


def test_today_is_the_wib_day():
    # 17:30 UTC on 30 November is already 1 December in Jakarta: the 30th is in the past.
    late_utc = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        check_booking_date(date(2026, 11, 30), late_utc)
    check_booking_date(TODAY, late_utc)


def test_a_same_day_session_closes_at_its_end():
    check_session_open(SESSION, TODAY, datetime(2026, 12, 1, 11, 59, 59, tzinfo=WIB))
    check_session_open(SESSION, TODAY + timedelta(days=7), NOW)
    with pytest.raises(RuleViolated) as caught:
        check_session_open(SESSION, TODAY, datetime(2026, 12, 1, 12, 0, tzinfo=WIB))
    assert (caught.value.code, caught.value.fields) == ("session_ended", ("date",))


# --- quotas, numbers, waits -------------------------------------------------------------


def test_jkn_and_non_jkn_quotas_are_counted_apart():
    load = SessionLoad(quota_jkn=2, quota_non_jkn=1, booked_jkn=1, booked_non_jkn=1)
    assert (load.remaining(PatientKind.JKN), load.remaining(PatientKind.NON_JKN)) == (1, 0)
    check_quota(load, PatientKind.JKN)  # the last JKN slot
    with pytest.raises(RuleViolated) as caught:
        check_quota(load, PatientKind.NON_JKN)
    assert (caught.value.code, caught.value.fields) == ("quota_full", ("date",))
    full = replace(load, booked_jkn=2)
    with pytest.raises(RuleViolated) as caught:
        check_quota(full, PatientKind.JKN, field="doctor_id")
    assert caught.value.fields == ("doctor_id",)
    assert replace(load, booked_jkn=5).remaining(PatientKind.JKN) == 0  # never negative


def test_the_decided_windows():
    assert (BOOKING_DAYS_AHEAD, CHECKIN_OPENS_BEFORE) == (14, timedelta(minutes=60))


def test_a_booking_code_is_a_kind_a_document_number():
    code = booking_code(HOSPITAL.code, date(2026, 12, 9), 42)
    assert code == "1871R0011226A000042" and len(code) == 19
    assert parse_document_number(code, expected=Kind.BOOKING).sequence == 42


def test_a_poli_the_facility_lacks_or_an_ended_contract_is_refused():
    with pytest.raises(RuleViolated) as caught:
        _route(HOSPITAL, referral=REFERRAL, poli_code="MAT")
    assert (caught.value.code, caught.value.fields) == ("poli_not_offered", ("poli_code",))
    with pytest.raises(InvalidInput):
        _route(FKTP, poli_code="U1")
    with pytest.raises(RuleViolated) as caught:
        _route(replace(HOSPITAL, active=False), referral=REFERRAL)
    assert (caught.value.code, caught.value.fields) == (
        "facility_not_contracted",
        ("facility_code",),
    )


def test_the_refusal_tells_arrears_from_non_active():
    for coverage, reason in (
        (replace(COVERAGE, unpaid_months=2), "arrears"),
        (replace(COVERAGE, active=False), "non_active"),
    ):
        with pytest.raises(RuleViolated) as caught:
            _route(FKTP, coverage)
        assert caught.value.extra == {"reason": reason}


def test_after_an_fktp_change_the_member_books_at_the_new_one():
    new = Site("18710005", "fktp", True, frozenset({"UMU"}))
    moving = replace(COVERAGE, next_fktp_code=new.code, next_fktp_from=TODAY + timedelta(days=3))
    assert _route(new, moving, on=TODAY + timedelta(days=3)) is None
    with pytest.raises(RuleViolated):
        _route(new, moving, on=TODAY + timedelta(days=2))


# --- which sessions a booking may take ----------------------------------------------------

AFTERNOON = replace(SESSION, start=time(13), end=time(16))
OTHER_DOCTOR = replace(SESSION, doctor_id="D2")
HEART = replace(SESSION, doctor_id="D3", poli_code="JAN")
DAY = [SESSION, OTHER_DOCTOR, AFTERNOON, HEART]


def test_without_a_doctor_every_session_of_the_poli_in_order():
    assert sessions_for(DAY, "int", None) == [SESSION, OTHER_DOCTOR, AFTERNOON]
    assert sessions_for(DAY, "INT", "D1") == [SESSION, AFTERNOON]
    assert sessions_for(DAY, "JAN", "D3") == [HEART]


def test_no_session_of_the_poli_or_doctor_names_the_field():
    with pytest.raises(RuleViolated) as caught:
        sessions_for(DAY, "MAT", None)
    assert (caught.value.code, caught.value.fields) == ("no_session", ("date",))
    with pytest.raises(RuleViolated) as caught:
        sessions_for(DAY, "JAN", "D1")
    assert (caught.value.code, caught.value.fields) == ("doctor_not_practising", ("doctor_id",))
    with pytest.raises(RuleViolated):
        sessions_for([], "INT", None)
