"""Recording a visit: never ahead of its day, an eligible member, a poli the facility has, and
a referral or control letter at a hospital."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from common.errors import InvalidInput, RuleViolated
from services.referral.domain.eligibility import Eligibility, Reason
from services.referral.domain.referrals import Site
from services.referral.domain.visits import check_visit

TODAY = date(2026, 12, 1)
FKTP = Site("18710003", "fktp", True, frozenset({"UMU", "GIG"}))
HOSPITAL = Site("1871R001", "fkrtl", True, frozenset({"INT", "MAT"}))
ELIGIBLE = Eligibility(True, None, 3, "PBPU", "18710003")


def _check(site=FKTP, member=ELIGIBLE, poli="UMU", on=TODAY, has_document=False):
    return check_visit(
        site, member, poli_code=poli, visited_on=on, today=TODAY, has_document=has_document
    )


def test_a_visit_today_or_earlier_at_a_poli_the_facility_has_is_recorded():
    assert _check().code == "UMU"
    assert _check(on=TODAY - timedelta(days=3), poli=" gig ").code == "GIG"


def test_tomorrow_is_refused_naming_visited_on():
    with pytest.raises(InvalidInput) as e:
        _check(on=TODAY + timedelta(days=1))
    assert (e.value.code, e.value.fields) == ("visit_in_future", ("visited_on",))


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        (Reason.ARREARS, "member_in_arrears"),
        (Reason.NON_ACTIVE, "member_not_active"),
        (Reason.NOT_REGISTERED_HERE, "member_not_registered_here"),
    ],
)
def test_a_member_who_may_not_be_served_is_refused_with_the_reason(reason, code):
    with pytest.raises(RuleViolated) as e:
        _check(member=Eligibility(False, reason, 3, "PBPU", "18710005"))
    assert (e.value.code, e.value.fields) == (code, ("card_number",))


def test_a_poli_the_facility_lacks_is_refused_naming_poli_code():
    with pytest.raises(RuleViolated) as e:
        _check(poli="KIA")
    assert (e.value.code, e.value.fields) == ("poli_not_offered", ("poli_code",))


def test_a_hospital_visit_needs_a_referral_or_control_letter():
    with pytest.raises(RuleViolated) as e:
        _check(site=HOSPITAL, poli="INT")
    assert (e.value.code, e.value.fields) == ("referral_required", ("referral_number",))
    assert _check(site=HOSPITAL, poli="INT", has_document=True).code == "INT"
