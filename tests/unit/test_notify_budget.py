"""The daily SMS budget: within it SMS goes; past it only security codes, and the reason is kept."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from services.notify.domain import budget
from services.notify.domain.budget import (
    CODE_OVER_BUDGET,
    OVER_BUDGET,
    SmsBudget,
    SmsDecision,
    apply,
    budget_day,
    decide,
)
from services.notify.domain.routing import Channel, Kind, Plan

BUDGET = SmsBudget(daily=Decimal("1000"), segment_cost=Decimal("300"))
NOT_CODES = [k for k in Kind if k is not Kind.SECURITY_CODE]


def test_within_budget_it_goes_at_segments_times_cost():
    assert decide(BUDGET, Decimal("0"), 2, Kind.GENERAL) == SmsDecision(True, Decimal("600"))


def test_reaching_the_budget_exactly_is_within_it():
    assert decide(BUDGET, Decimal("400"), 2, Kind.BILLING) == SmsDecision(True, Decimal("600"))


@pytest.mark.parametrize("kind", NOT_CODES)
def test_one_rupiah_past_the_budget_refuses_what_is_not_a_code(kind):
    d = decide(BUDGET, Decimal("401"), 2, kind)
    assert d == SmsDecision(False, Decimal("600"), OVER_BUDGET)


def test_a_security_code_goes_over_budget_with_the_overspend_recorded():
    d = decide(BUDGET, Decimal("401"), 2, Kind.SECURITY_CODE)
    assert d == SmsDecision(True, Decimal("600"), CODE_OVER_BUDGET)
    within = decide(BUDGET, Decimal("0"), 1, Kind.SECURITY_CODE)
    assert within == SmsDecision(True, Decimal("300"), None)


def test_a_zero_budget_turns_sms_off_except_for_codes():
    off = SmsBudget(Decimal("0"), Decimal("300"))
    assert not decide(off, Decimal("0"), 1, Kind.QUEUE_CALL).allowed
    assert decide(off, Decimal("0"), 1, Kind.SECURITY_CODE).allowed


def test_free_segments_never_exhaust_the_budget():
    free = SmsBudget(Decimal("0"), Decimal("0"))
    assert decide(free, Decimal("0"), 9, Kind.GENERAL) == SmsDecision(True, Decimal("0"))


def test_fractional_costs_are_exact():
    b = SmsBudget(Decimal("0.3"), Decimal("0.1"))
    assert decide(b, Decimal("0.2"), 1, Kind.GENERAL).allowed  # 0.1 + 0.2 == 0.3 in Decimal


@pytest.mark.parametrize(("daily", "cost"), [("-1", "1"), ("1", "-1")])
def test_negative_numbers_are_refused(daily, cost):
    with pytest.raises(ValueError, match="negative"):
        SmsBudget(Decimal(daily), Decimal(cost))


def test_an_sms_is_at_least_one_segment():
    with pytest.raises(ValueError, match="segment"):
        decide(BUDGET, Decimal("0"), 0, Kind.GENERAL)


def test_the_budget_day_turns_at_midnight_wib():
    assert budget_day(datetime(2026, 12, 1, 16, 59, 59, tzinfo=UTC)) == date(2026, 12, 1)
    assert budget_day(datetime(2026, 12, 1, 17, 0, tzinfo=UTC)) == date(2026, 12, 2)
    wita = timezone(timedelta(hours=8))
    assert budget_day(datetime(2026, 12, 2, 0, 30, tzinfo=wita)) == date(2026, 12, 1)
    with pytest.raises(ValueError, match="aware"):
        budget_day(datetime(2026, 12, 1, 12, 0))


PLAN = Plan((Channel.PUSH, Channel.SMS))


def test_a_refusal_takes_sms_out_of_the_plan_and_records_why():
    refused = apply(PLAN, decide(BUDGET, Decimal("1000"), 1, Kind.GENERAL))
    assert refused.channels == (Channel.PUSH,)
    assert refused.skipped == ((Channel.SMS, OVER_BUDGET),)
    assert refused.inbox


def test_an_allowed_sms_leaves_the_plan_alone():
    assert apply(PLAN, decide(BUDGET, Decimal("0"), 1, Kind.GENERAL)) == PLAN
    assert apply(PLAN, decide(BUDGET, Decimal("1000"), 1, Kind.SECURITY_CODE)) == PLAN


def test_a_refusal_for_a_plan_without_sms_changes_nothing():
    no_sms = Plan((Channel.EMAIL,))
    assert apply(no_sms, SmsDecision(False, Decimal("300"), OVER_BUDGET)) == no_sms


def test_a_small_budget_keeps_one_slot_and_is_spent_to_the_segment():
    one = SmsBudget(Decimal(350), Decimal(350))
    assert budget.slots(one) == 1 and budget.share(one) == one
    assert budget.slots(SmsBudget(Decimal(350 * 99), Decimal(350))) == 1


def test_a_larger_budget_is_spread_over_slots_whose_shares_add_up_to_it():
    assert budget.slots(SmsBudget(Decimal(350 * 100), Decimal(350))) == 2
    default = SmsBudget(Decimal(500_000), Decimal(350))
    assert budget.slots(default) == budget.MAX_SLOTS
    assert budget.share(default).daily * budget.slots(default) == default.daily
    assert budget.share(default).segment_cost == default.segment_cost
    assert budget.slots(SmsBudget(Decimal(1000), Decimal(0))) == budget.MAX_SLOTS  # free SMS
