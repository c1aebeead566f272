"""Eligibility from referral's coverage projection: each reason, its order, and R5's date."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.referral.domain.eligibility import REASON_TEXT, Coverage, Reason, eligibility

FKTP, OTHER_FKTP, HOSPITAL = "18710003", "18710005", "1871R001"
DAY = date(2026, 12, 1)
MEMBER = Coverage("0001234567890", True, 3, "PBPU", FKTP)


def test_an_active_member_at_their_fktp_is_eligible_with_class_and_fktp():
    answer = eligibility(MEMBER, FKTP, "fktp", DAY)
    assert (answer.eligible, answer.reason, answer.reason_text) == (True, None, None)
    assert (answer.care_class, answer.segment, answer.fktp_code) == (3, "PBPU", FKTP)


def test_another_fktp_is_not_registered_here_but_any_hospital_serves():
    answer = eligibility(MEMBER, OTHER_FKTP, "fktp", DAY)
    assert (answer.eligible, answer.reason) == (False, Reason.NOT_REGISTERED_HERE)
    assert answer.reason_text == REASON_TEXT[Reason.NOT_REGISTERED_HERE]
    assert eligibility(MEMBER, HOSPITAL, "fkrtl", DAY).eligible


@pytest.mark.parametrize("months", [1, 2, 24])
def test_arrears_come_first_even_where_not_registered(months):
    owing = replace(MEMBER, unpaid_months=months)
    for code, kind in ((FKTP, "fktp"), (OTHER_FKTP, "fktp"), (HOSPITAL, "fkrtl")):
        answer = eligibility(owing, code, kind, DAY)
        assert (answer.eligible, answer.reason) == (False, Reason.ARREARS)


def test_non_active_without_arrears_and_arrears_win_over_non_active():
    inactive = replace(MEMBER, active=False)
    assert eligibility(inactive, FKTP, "fktp", DAY).reason is Reason.NON_ACTIVE
    assert eligibility(inactive, OTHER_FKTP, "fktp", DAY).reason is Reason.NON_ACTIVE
    assert eligibility(inactive, HOSPITAL, "fkrtl", DAY).reason is Reason.NON_ACTIVE
    both = replace(inactive, unpaid_months=3)
    assert eligibility(both, FKTP, "fktp", DAY).reason is Reason.ARREARS


def test_coverage_starts_on_its_first_day():
    starting = replace(MEMBER, covered_from=DAY)
    assert eligibility(starting, FKTP, "fktp", DAY).eligible
    assert eligibility(starting, FKTP, "fktp", date(2026, 11, 30)).reason is Reason.NON_ACTIVE


def test_a_pending_fktp_change_takes_effect_on_its_date():
    moving = replace(MEMBER, next_fktp_code=OTHER_FKTP, next_fktp_from=date(2027, 1, 1))
    before, on = date(2026, 12, 31), date(2027, 1, 1)
    assert eligibility(moving, FKTP, "fktp", before).eligible
    assert eligibility(moving, OTHER_FKTP, "fktp", before).reason is Reason.NOT_REGISTERED_HERE
    assert eligibility(moving, OTHER_FKTP, "fktp", on).eligible
    assert eligibility(moving, FKTP, "fktp", on).reason is Reason.NOT_REGISTERED_HERE
    assert eligibility(moving, HOSPITAL, "fkrtl", on).fktp_code == OTHER_FKTP


@pytest.mark.parametrize(
    "bad",
    [
        {"unpaid_months": -1},
        {"next_fktp_code": OTHER_FKTP},
        {"next_fktp_from": date(2027, 1, 1)},
    ],
)
def test_an_inconsistent_projection_is_a_data_bug(bad):
    with pytest.raises(ValueError):
        replace(MEMBER, **bad)


def test_every_reason_has_both_texts():
    assert set(REASON_TEXT) == set(Reason)
    assert all(en and id_ for en, id_ in REASON_TEXT.values())
    assert [r.value for r in Reason] == ["arrears", "non_active", "not_registered_here"]


def test_a_class_change_counts_from_its_effective_day():
    c = replace(MEMBER, next_care_class=1, next_class_from=date(2027, 1, 1))
    assert eligibility(c, FKTP, "fktp", date(2026, 12, 31)).care_class == 3
    assert eligibility(c, FKTP, "fktp", date(2027, 1, 1)).care_class == 1


def test_a_pending_class_change_needs_its_date():
    with pytest.raises(ValueError):
        replace(MEMBER, next_care_class=1)
