"""Back-referral (PRB) from the hospital to the member's FKTP: its data and its checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from common.errors import InvalidInput, RuleViolated
from services.referral.domain.back_referrals import PRB_PROGRAMMES, check_issue
from services.referral.domain.eligibility import Coverage, eligibility
from services.referral.domain.referrals import Referral, ServiceType
from services.referral.domain.rules import NOTES_MAX

ISSUED = date(2026, 12, 1)
HOSPITAL = "1871R001"
REFERRAL = Referral(
    "187100031226P000001", "0001234567890", "18710003", HOSPITAL, "INT", "E11.9",
    ServiceType.OUTPATIENT, ISSUED,
)  # fmt: skip
COVERAGE = Coverage(REFERRAL.card_number, True, 3, "PBPU", "18710003")
TODAY = ISSUED + timedelta(days=30)


def _issue(coverage=COVERAGE, **overrides):
    member = eligibility(coverage, HOSPITAL, "fkrtl", TODAY)
    args = {"hospital_code": HOSPITAL, "diagnosis": "e119", "programme": "01",
            "advice": " metformin 2x500 mg; kontrol 3 bulan ", "today": TODAY}  # fmt: skip
    return check_issue(REFERRAL, member, **{**args, **overrides})


def _refusal(kind, **kwargs):
    with pytest.raises(kind) as caught:
        _issue(**kwargs)
    return caught.value.code, caught.value.fields


def test_a_back_referral_goes_to_the_member_s_fktp_with_its_data():
    draft = _issue()
    assert (draft.referral_number, draft.fktp_code, draft.diagnosis, draft.programme) == (
        REFERRAL.number, "18710003", "E11.9", "01",
    )  # fmt: skip
    assert draft.advice == "metformin 2x500 mg; kontrol 3 bulan"


def test_after_an_fktp_change_it_goes_to_the_new_fktp():
    moved = replace(COVERAGE, next_fktp_code="18710005", next_fktp_from=TODAY)
    assert _issue(coverage=moved).fktp_code == "18710005"


def test_the_programmes_are_the_nine_prb_conditions():
    assert sorted(PRB_PROGRAMMES) == [f"0{i}" for i in range(1, 10)]
    for code in PRB_PROGRAMMES:
        assert _issue(programme=code).programme == code


def test_only_the_referred_to_hospital_refers_back():
    assert _refusal(RuleViolated, hospital_code="1871R002") == (
        "referral_other_facility", ("referral_number",),
    )  # fmt: skip


def test_not_before_the_referral():
    assert _refusal(RuleViolated, today=ISSUED - timedelta(days=1)) == (
        "before_referral", ("referral_number",),
    )  # fmt: skip
    assert _issue(today=ISSUED).fktp_code == "18710003"


@pytest.mark.parametrize(
    "coverage", [replace(COVERAGE, active=False), replace(COVERAGE, unpaid_months=2)]
)
def test_only_for_a_covered_member(coverage):
    assert _refusal(RuleViolated, coverage=coverage) == ("member_not_eligible", ("card_number",))


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"diagnosis": "E11.9X"}, ("invalid_icd10", ("diagnosis",))),
        ({"programme": "10"}, ("unknown_prb_programme", ("programme",))),
        ({"programme": "1"}, ("unknown_prb_programme", ("programme",))),
        ({"advice": "   "}, ("advice_missing", ("advice",))),
        ({"advice": "x" * (NOTES_MAX + 1)}, ("advice_too_long", ("advice",))),
    ],
)
def test_bad_fields_are_named(overrides, expected):
    assert _refusal(InvalidInput, **overrides) == expected
    assert _issue(advice="x" * NOTES_MAX).advice == "x" * NOTES_MAX
