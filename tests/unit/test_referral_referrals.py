"""Issuing an online referral and using it: validity days 89/90/91, and every refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from common.errors import InvalidInput, RuleViolated
from services.referral.domain.eligibility import Coverage, eligibility
from services.referral.domain.referrals import (
    Referral,
    ServiceType,
    Site,
    check_issue,
    check_use,
    expires_on,
    is_valid_on,
    valid_through,
)
from services.referral.domain.rules import NOTES_MAX, REFERRAL_VALID_DAYS

ISSUED = date(2026, 12, 1)
FKTP = Site("18710003", "fktp", True, frozenset({"UMU", "GIG"}))
OTHER_FKTP = Site("18710005", "fktp", True, frozenset({"UMU"}))
HOSPITAL = Site("1871R001", "fkrtl", True, frozenset({"INT", "ANA", "MAT"}))
COVERAGE = Coverage("0001234567890", True, 3, "PBPU", FKTP.code)
CARD = COVERAGE.card_number
REFERRAL = Referral(
    "187100031226P000001", CARD, FKTP.code, HOSPITAL.code, "INT", "J06.9",
    ServiceType.OUTPATIENT, ISSUED,
)  # fmt: skip


def _issue(destination=HOSPITAL, coverage=COVERAGE, issuer=FKTP, **overrides):
    member = eligibility(coverage, issuer.code, issuer.facility_type, ISSUED)
    args = {"card_number": CARD, "poli_code": "int", "diagnosis": "j069",
            "service_type": "2", "notes": "  kontrol gula darah  "}  # fmt: skip
    return check_issue(issuer, destination, member, **{**args, **overrides})


def _refusal(kind, **kwargs):
    with pytest.raises(kind) as caught:
        _issue(**kwargs)
    return caught.value.code, caught.value.fields


def test_a_valid_request_is_normalised():
    draft = _issue()
    assert (draft.destination_code, draft.poli_code) == ("1871R001", "INT")
    assert draft.diagnosis == "J06.9"
    assert (draft.service_type, draft.notes, draft.card_number) == (
        ServiceType.OUTPATIENT, "kontrol gula darah", CARD,
    )  # fmt: skip
    assert _issue(service_type=1).service_type is ServiceType.INPATIENT


def test_valid_through_day_90_counting_the_issue_day_as_day_0():
    assert REFERRAL_VALID_DAYS == 90
    assert valid_through(ISSUED) == ISSUED + timedelta(days=90) == date(2027, 3, 1)
    assert expires_on(ISSUED) == date(2027, 3, 2)
    assert (REFERRAL.valid_through, REFERRAL.expires_on) == (date(2027, 3, 1), date(2027, 3, 2))
    for day, valid in ((-1, False), (0, True), (1, True), (89, True), (90, True), (91, False)):
        assert is_valid_on(ISSUED, ISSUED + timedelta(days=day)) is valid, day


@pytest.mark.parametrize("day", [0, 1, 45, 89, 90])
def test_repeat_visits_to_the_same_poli_until_day_90(day):
    check_use(REFERRAL, facility_code=HOSPITAL.code, poli_code="INT", on=ISSUED + timedelta(day))
    check_use(REFERRAL, facility_code=HOSPITAL.code, poli_code="int", on=ISSUED + timedelta(day))


@pytest.mark.parametrize("day", [91, 92, 365])
def test_from_day_91_the_referral_is_expired_with_its_last_day(day):
    with pytest.raises(RuleViolated) as caught:
        check_use(REFERRAL, facility_code=HOSPITAL.code, poli_code="INT",
                  on=ISSUED + timedelta(days=day))  # fmt: skip
    assert (caught.value.code, caught.value.fields) == ("referral_expired", ("referral_number",))
    assert "2027-03-01" in caught.value.detail and "2027-03-01" in caught.value.detail_id


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"facility_code": "1871R002", "poli_code": "INT", "on": ISSUED},
         ("referral_other_facility", ("facility_code",))),
        ({"facility_code": HOSPITAL.code, "poli_code": "ANA", "on": ISSUED},
         ("referral_other_poli", ("poli_code",))),
        ({"facility_code": HOSPITAL.code, "poli_code": "INT", "on": ISSUED - timedelta(1)},
         ("before_referral", ("date",))),
    ],
)  # fmt: skip
def test_a_use_the_referral_does_not_cover_names_the_field(where, expected):
    with pytest.raises(RuleViolated) as caught:
        check_use(REFERRAL, **where)
    assert (caught.value.code, caught.value.fields) == expected


def test_a_referral_to_the_fktp_itself_is_refused():
    assert _refusal(RuleViolated, destination=FKTP) == ("referral_to_self", ("destination_code",))


def test_a_referral_to_another_fktp_is_refused():
    assert _refusal(RuleViolated, destination=OTHER_FKTP) == (
        "destination_not_hospital", ("destination_code",),
    )  # fmt: skip


@pytest.mark.parametrize("destination", [None, replace(HOSPITAL, active=False)])
def test_an_unknown_or_ended_destination_is_refused(destination):
    assert _refusal(RuleViolated, destination=destination) == (
        "unknown_destination", ("destination_code",),
    )  # fmt: skip


def test_a_poli_the_destination_lacks_is_refused():
    assert _refusal(RuleViolated, poli_code="OBG") == ("poli_not_offered", ("poli_code",))
    assert _refusal(InvalidInput, poli_code="XYZ") == ("unknown_poli_code", ("poli_code",))


def test_a_diagnosis_of_the_wrong_form_is_refused():
    assert _refusal(InvalidInput, diagnosis="J06.A") == ("invalid_icd10", ("diagnosis",))


@pytest.mark.parametrize("service_type", ["0", "3", "", "rawat jalan", None])
def test_a_service_type_other_than_1_or_2_is_refused(service_type):
    assert _refusal(InvalidInput, service_type=service_type) == (
        "invalid_service_type", ("service_type",),
    )  # fmt: skip


def test_notes_are_bounded():
    assert _issue(notes="x" * NOTES_MAX).notes == "x" * NOTES_MAX
    assert _refusal(InvalidInput, notes="x" * (NOTES_MAX + 1)) == ("notes_too_long", ("notes",))


@pytest.mark.parametrize(
    ("coverage", "code"),
    [
        (replace(COVERAGE, unpaid_months=1), "member_in_arrears"),
        (replace(COVERAGE, active=False), "member_not_active"),
        (replace(COVERAGE, fktp_code=OTHER_FKTP.code), "member_not_registered_here"),
    ],
)
def test_only_an_active_member_registered_at_the_issuer(coverage, code):
    assert _refusal(RuleViolated, coverage=coverage) == (code, ("card_number",))


def test_an_eligibility_for_another_facility_does_not_pass():
    member = eligibility(COVERAGE, HOSPITAL.code, "fkrtl", ISSUED)  # eligible, but elsewhere
    with pytest.raises(RuleViolated) as caught:
        check_issue(OTHER_FKTP, HOSPITAL, member, card_number=CARD, poli_code="INT",
                    diagnosis="A09", service_type="2")  # fmt: skip
    assert caught.value.code == "member_not_registered_here"


def test_a_hospital_cannot_issue_an_fktp_referral():
    other_hospital = Site("1871R002", "fkrtl", True, frozenset({"INT"}))
    assert _refusal(RuleViolated, issuer=HOSPITAL, destination=other_hospital) == (
        "issuer_not_fktp", ("issuer_code",),
    )  # fmt: skip
