"""Billing's request models refuse what a lax parser would take, and the demo partners come
from the environment only when their secrets are set."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from pydantic import ValidationError

from services.billing.api.schemas import (
    AutodebitCreate,
    BankPaymentCreate,
    PenaltyQuery,
    RehabPlanCreate,
)
from services.billing.autodebit_bank import SimulatedBank
from services.billing.seed import demo_partners

GOOD = {"va": "8888801944358911", "amount": 105000, "paid_at": "2026-12-02T10:00:00+07:00",
        "bank_reference": "BRI-20261202-0001", "channel": "bri"}


def _fields(exc: ValidationError) -> set[str]:
    return {".".join(str(p) for p in e["loc"]) for e in exc.errors()}


def test_a_good_payment_parses() -> None:
    body = BankPaymentCreate.model_validate_json(json.dumps(GOOD))
    assert body.amount == 105_000 and body.paid_at.utcoffset() is not None


@pytest.mark.parametrize(("field", "value"), [
    ("amount", "105000"), ("amount", 105000.5), ("amount", True), ("amount", 0),
    ("amount", -1), ("paid_at", "2026-12-02T10:00:00"), ("bank_reference", "a b"),
    ("bank_reference", ""), ("bank_reference", "x" * 65), ("channel", "BRI"),
    ("channel", "teller"), ("va", None)])
def test_a_bad_field_is_refused_and_named(field, value) -> None:
    with pytest.raises(ValidationError) as refused:
        BankPaymentCreate.model_validate_json(json.dumps({**GOOD, field: value}))
    assert field in _fields(refused.value)


def test_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        BankPaymentCreate.model_validate({**GOOD, "name": "x"})
    assert "name" in _fields(refused.value)


@pytest.mark.parametrize(("field", "value"), [
    ("card_number", "123"), ("card_number", "000194435891a"), ("admission_date", "02-12-2026"),
    ("inpatient_cost", "-1")])
def test_a_bad_penalty_query_is_named(field, value) -> None:
    good = {"card_number": "0001944358911", "admission_date": "2026-12-02",
            "inpatient_cost": "5000000"}
    with pytest.raises(ValidationError) as refused:
        PenaltyQuery.model_validate({**good, field: value})
    assert field in _fields(refused.value)


def test_an_account_is_digits_and_the_bank_one_of_the_vas_banks() -> None:
    AutodebitCreate.model_validate({"bank": "bca", "account_number": "1234567890"})
    for bad in ({"bank": "xyz", "account_number": "1234567890"},
                {"bank": "bca", "account_number": "12-345678"}):
        with pytest.raises(ValidationError):
            AutodebitCreate.model_validate(bad)


def test_parts_must_be_a_number_not_text() -> None:
    with pytest.raises(ValidationError):
        RehabPlanCreate.model_validate_json('{"parts": "6"}')


def test_demo_partners_need_their_secret_and_default_their_cons_id() -> None:
    assert demo_partners({}) == []
    assert demo_partners({"BILLING_DEMO_BANK_SECRET": "s"}) == [
        ("1001", "bank", "Demo bank (local)", "s")]
    assert demo_partners({"BILLING_DEMO_FACILITY_CONS_ID": "7", "BILLING_DEMO_FACILITY_SECRET":
                          "f"}) == [("7", "facility", "Demo facility (local)", "f")]


def test_the_simulated_bank_declines_accounts_ending_in_nine_only() -> None:
    bank = SimulatedBank()
    paid = asyncio.run(bank.collect(uuid.uuid4(), "bca", "1234567890", 1))
    declined = asyncio.run(bank.collect(uuid.uuid4(), "bca", "1234567899", 1))
    assert (paid.succeeded, paid.code) == (True, "00")
    assert (declined.succeeded, declined.code) == (False, "51")
