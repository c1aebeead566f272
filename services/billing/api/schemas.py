"""Billing's request bodies and query models: strict, so "100000" or true is not an amount."""

from __future__ import annotations

from datetime import date
from typing import Annotated, get_args

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from common.text import text
from services.billing.domain.payments import BankChannel

BANKS = get_args(BankChannel)
# Whole rupiah; the ceiling only keeps a typo from meaning a billion months.
Rupiah = Annotated[int, Field(strict=True, gt=0, le=10**12)]


def _date_as_text(v: object) -> object:
    # Lax date parsing would read 0 as 1970-01-01; a client sends dates as YYYY-MM-DD.
    if not isinstance(v, str):
        raise ValueError("must be a date written YYYY-MM-DD")
    return v


Day = Annotated[date, BeforeValidator(_date_as_text)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BankPaymentCreate(Strict):
    """A bank's report of money paid into a VA (POST /v1/partners/bank/payments)."""

    va: text(32)
    amount: Rupiah
    paid_at: AwareDatetime
    bank_reference: text(64, pattern=r"^[A-Za-z0-9._:\-]+$")
    channel: BankChannel


class PenaltyQuery(Strict):
    """GET /v1/partners/facility/penalty's query."""

    card_number: text(13, min_length=13, pattern=r"^[0-9]{13}$")
    admission_date: Day
    inpatient_cost: Annotated[int, Field(ge=0, le=10**12)]


class AutodebitCreate(Strict):
    bank: BankChannel
    account_number: text(20, min_length=6, pattern=r"^[0-9]+$")


class RehabPlanCreate(Strict):
    # The range (2-12) is the rule's (domain.rehab.schedule), which names `parts` itself.
    parts: Annotated[int, Field(strict=True)]
