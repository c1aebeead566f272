"""The daily SMS budget: whether one more message may go by SMS today. Pure.

Issue 17: over budget, a message that is not a security code goes to the other channels and
the reason is recorded. A security code still goes over budget (the member would otherwise be
locked out of their account); the overspend is recorded so ops can see it and raise the budget.
The numbers come from NOTIFY_SMS_DAILY_BUDGET and NOTIFY_SMS_SEGMENT_COST (rupiah).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from services.notify.domain.routing import Channel, Kind, Plan
from services.notify.domain.templates import WIB

OVER_BUDGET = "sms_over_budget"
CODE_OVER_BUDGET = "sms_over_budget_security_code"


@dataclass(frozen=True, slots=True)
class SmsBudget:
    """What may be spent on SMS per WIB day, and what one segment costs."""

    daily: Decimal
    segment_cost: Decimal

    def __post_init__(self) -> None:
        if self.daily < 0 or self.segment_cost < 0:
            raise ValueError("the SMS budget and segment cost must not be negative")


@dataclass(frozen=True, slots=True)
class SmsDecision:
    """May it go, what it costs, and the reason to record (None when within budget)."""

    allowed: bool
    cost: Decimal
    reason: str | None = None


# The day's spend is kept in slots so consumers charging at once do not queue on one row lock;
# each slot holds at least SLOT_SEGMENTS segments of the budget, so a small budget keeps one
# slot and is spent exactly to the segment. A charge must fit its slot's share: near the end of
# the day a message may fall back while another slot, busy at that moment, still has room (at
# most one message per slot goes unspent); the day never spends past the budget.
MAX_SLOTS = 16  # at least the consumer's partitions (12) charging at once
SLOT_SEGMENTS = 50


def slots(budget: SmsBudget) -> int:
    """How many slots the day's spend is spread over."""
    if budget.segment_cost == 0:
        return MAX_SLOTS
    return max(1, min(MAX_SLOTS, int(budget.daily // (budget.segment_cost * SLOT_SEGMENTS))))


def share(budget: SmsBudget) -> SmsBudget:
    """One slot's part of the day's budget (what decide() is given with that slot's spend)."""
    return SmsBudget(budget.daily / slots(budget), budget.segment_cost)


def budget_day(now: datetime) -> date:
    """The budget's day: it resets at midnight WIB, when the branch's working day turns."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(WIB).date()


def decide(budget: SmsBudget, spent_today: Decimal, segments: int, kind: Kind) -> SmsDecision:
    """Whether `segments` more may be sent today, given what today has spent already.
    Reaching the budget exactly is within it; going past it is not."""
    if segments < 1:
        raise ValueError("an SMS is at least one segment")
    cost = budget.segment_cost * segments
    if spent_today + cost <= budget.daily:
        return SmsDecision(True, cost)
    if kind is Kind.SECURITY_CODE:
        return SmsDecision(True, cost, CODE_OVER_BUDGET)
    return SmsDecision(False, cost, OVER_BUDGET)


def apply(plan: Plan, decision: SmsDecision) -> Plan:
    """The plan without SMS when the budget refused it; the reason joins the skipped list."""
    if decision.allowed:
        return plan
    return plan.without(Channel.SMS, decision.reason or OVER_BUDGET)
