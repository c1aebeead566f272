"""A bank's payment as billing accepts it: fingerprints, checks, intent matching, masking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from common.errors import Conflict, InvalidInput
from services.billing.domain import payments as rules
from services.billing.domain.payments import BankPayment, OpenIntent

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
KEY = b"k" * 32
PAYMENT = BankPayment("8888801944358911", 105_000, NOW, "REF-1", "bri")


def test_the_same_delivery_has_the_same_fingerprint_whatever_the_offset() -> None:
    wib = NOW.astimezone(timezone(timedelta(hours=7)))
    again = BankPayment(PAYMENT.va, PAYMENT.amount, wib, PAYMENT.bank_reference, "bri")
    assert rules.fingerprint(KEY, again) == rules.fingerprint(KEY, PAYMENT)


@pytest.mark.parametrize("change", [
    {"amount": 105_001}, {"va": "8888801944358912"}, {"channel": "bca"},
    {"paid_at": NOW + timedelta(seconds=1)}, {"bank_reference": "REF-2"}])
def test_any_changed_field_changes_the_fingerprint(change) -> None:
    fields = {**PAYMENT.__dict__, **change}
    assert rules.fingerprint(KEY, BankPayment(**fields)) != rules.fingerprint(KEY, PAYMENT)


def test_the_fingerprint_is_keyed() -> None:
    assert rules.fingerprint(b"other", PAYMENT) != rules.fingerprint(KEY, PAYMENT)


def test_a_reused_reference_is_a_conflict_naming_it() -> None:
    error = rules.reference_reused()
    assert isinstance(error, Conflict) and error.fields == ("bank_reference",)


def test_paid_at_may_be_now_or_within_the_clock_skew_but_not_later() -> None:
    rules.check_paid_at(NOW, NOW)
    rules.check_paid_at(NOW - timedelta(days=3), NOW)
    rules.check_paid_at(NOW + rules.PAID_AT_SKEW, NOW)
    with pytest.raises(InvalidInput) as refused:
        rules.check_paid_at(NOW + rules.PAID_AT_SKEW + timedelta(seconds=1), NOW)
    assert refused.value.fields == ("paid_at",)


@pytest.mark.parametrize("channel", ["bri", "bni", "btn", "bca"])
def test_an_88888_va_is_paid_at_the_other_banks_not_mandiri(channel) -> None:
    rules.check_channel("default", channel)
    with pytest.raises(InvalidInput) as refused:
        rules.check_channel("mandiri", channel)
    assert refused.value.fields == ("channel",)


def test_an_89888_va_is_mandiris() -> None:
    rules.check_channel("mandiri", "mandiri")
    with pytest.raises(InvalidInput):
        rules.check_channel("default", "mandiri")


LIVE = OpenIntent("i1", 210_000, NOW + timedelta(hours=1))
EXPIRED = OpenIntent("i0", 105_000, NOW)


def test_no_intent_means_any_amount_is_taken() -> None:
    assert rules.matching_intent([], 1, NOW) is None


def test_an_expired_intent_does_not_bind_the_amount() -> None:
    assert rules.matching_intent([EXPIRED], 1, NOW) is None


def test_the_intents_amount_matches_it() -> None:
    assert rules.matching_intent([EXPIRED, LIVE], 210_000, NOW) is LIVE


@pytest.mark.parametrize("amount", [209_999, 210_001, 105_000])
def test_another_amount_than_a_live_intents_is_refused_naming_amount(amount) -> None:
    with pytest.raises(InvalidInput) as refused:
        rules.matching_intent([EXPIRED, LIVE], amount, NOW)
    assert refused.value.fields == ("amount",)


def test_an_intent_expires_a_day_after_it_was_made() -> None:
    assert rules.intent_expiry(NOW) == NOW + timedelta(hours=24)


@pytest.mark.parametrize(("account", "shown"), [
    ("1234567890", "******7890"), ("123456789", "*****6789"), ("12345678", "********"),
    ("123456", "******")])
def test_an_account_shows_its_last_four_digits_only_when_long_enough(account, shown) -> None:
    assert rules.mask_account(account) == shown
