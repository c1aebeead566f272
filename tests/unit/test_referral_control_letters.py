"""Control letters: issued by the referred-to hospital after a visit, used once, in a window."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from common.errors import RuleViolated
from services.referral.domain.control_letters import (
    ControlLetter,
    VisitRef,
    check_issue,
    check_use,
    last_usable_day,
)
from services.referral.domain.referrals import Referral, ServiceType
from services.referral.domain.rules import CONTROL_LETTER_GRACE_DAYS

ISSUED = date(2026, 12, 1)
LAST = ISSUED + timedelta(days=90)
HOSPITAL, POLIS = "1871R001", frozenset({"INT", "JAN"})
REFERRAL = Referral(
    "187100031226P000001", "0001234567890", "18710003", HOSPITAL, "INT", "E11.9",
    ServiceType.OUTPATIENT, ISSUED,
)  # fmt: skip
VISIT = VisitRef("1871R0011226V000001", HOSPITAL, REFERRAL.number, ISSUED + timedelta(days=10))
TODAY = VISIT.visited_on
LETTER = ControlLetter(
    "1871R0011226K000001", REFERRAL.number, VISIT.number, REFERRAL.card_number, HOSPITAL,
    "INT", TODAY, TODAY + timedelta(days=14),
)  # fmt: skip


def _issue(referral=REFERRAL, visit=VISIT, **overrides):
    args = {"hospital_code": HOSPITAL, "hospital_polis": POLIS, "poli_code": "int",
            "planned_on": TODAY + timedelta(days=14), "today": TODAY}  # fmt: skip
    return check_issue(referral, visit, **{**args, **overrides})


def _refusal(**kwargs):
    with pytest.raises(RuleViolated) as caught:
        _issue(**kwargs)
    return caught.value.code, caught.value.fields


def test_a_control_letter_links_its_referral_and_visit():
    draft = _issue()
    assert (draft.referral_number, draft.visit_number, draft.poli_code) == (
        REFERRAL.number, VISIT.number, "INT",
    )  # fmt: skip
    assert _issue(poli_code="JAN").poli_code == "JAN"  # an internal consult


@pytest.mark.parametrize(("planned", "ok"), [(0, False), (1, True), (90, True), (91, False)])
def test_the_planned_date_is_after_today_and_within_the_referral(planned, ok):
    today = ISSUED
    visit = replace(VISIT, visited_on=ISSUED)
    planned_on = ISSUED + timedelta(days=planned)
    if ok:
        assert _issue(visit=visit, today=today, planned_on=planned_on).planned_on == planned_on
    else:
        code, fields = _refusal(visit=visit, today=today, planned_on=planned_on)
        assert fields == ("planned_date",)
        assert code in {"planned_date_not_after_today", "planned_date_after_referral"}


def test_only_the_referred_to_hospital_issues_it():
    assert _refusal(hospital_code="1871R002") == ("referral_other_facility", ("referral_number",))


@pytest.mark.parametrize(
    "visit",
    [replace(VISIT, referral_number="187100031226P000002"),
     replace(VISIT, referral_number=None), replace(VISIT, facility_code="1871R002")],
)  # fmt: skip
def test_the_visit_must_be_recorded_here_under_the_referral(visit):
    assert _refusal(visit=visit) == ("visit_not_under_referral", ("visit_number",))


def test_the_visit_must_have_happened():
    future = replace(VISIT, visited_on=TODAY + timedelta(days=1))
    assert _refusal(visit=future) == ("visit_in_future", ("visit_number",))


def test_a_poli_the_hospital_lacks_is_refused():
    assert _refusal(poli_code="MAT") == ("poli_not_offered", ("poli_code",))


def _use(letter=LETTER, on=LETTER.planned_on, **where):
    args = {"facility_code": HOSPITAL, "poli_code": "INT", "on": on}
    check_use(letter, REFERRAL, **{**args, **where})


def test_the_grace_is_a_week():
    assert CONTROL_LETTER_GRACE_DAYS == 7


@pytest.mark.parametrize("days", [0, 1, CONTROL_LETTER_GRACE_DAYS])
def test_usable_from_its_planned_date_for_the_grace_days(days):
    _use(on=LETTER.planned_on + timedelta(days=days))
    assert LETTER.usable_through == LETTER.planned_on + timedelta(days=CONTROL_LETTER_GRACE_DAYS)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"on": LETTER.planned_on - timedelta(days=1)}, ("before_control_date", ("date",))),
        ({"on": LETTER.planned_on + timedelta(days=CONTROL_LETTER_GRACE_DAYS + 1)},
         ("control_expired", ("referral_number",))),
        ({"facility_code": "1871R002"}, ("control_other_facility", ("facility_code",))),
        ({"poli_code": "JAN"}, ("control_other_poli", ("poli_code",))),
        ({"letter": replace(LETTER, used=True)}, ("control_used", ("referral_number",))),
    ],
)  # fmt: skip
def test_a_use_the_letter_does_not_cover_names_the_field(where, expected):
    with pytest.raises(RuleViolated) as caught:
        _use(**where)
    assert (caught.value.code, caught.value.fields) == expected


def test_never_after_the_referral_s_last_day_even_within_grace():
    late = replace(LETTER, planned_on=LAST - timedelta(days=2))
    _use(letter=late, on=LAST)
    with pytest.raises(RuleViolated) as caught:
        _use(letter=late, on=LAST + timedelta(days=1))
    assert caught.value.code == "control_expired"


def test_the_last_usable_day_is_the_grace_or_the_referrals_last_day_whichever_first():
    planned = date(2027, 1, 10)
    grace_end = planned + timedelta(days=CONTROL_LETTER_GRACE_DAYS)
    assert last_usable_day(planned, date(2027, 3, 1)) == grace_end
    assert last_usable_day(planned, date(2027, 1, 12)) == date(2027, 1, 12)
