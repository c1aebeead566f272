"""Who hears about a bill, on which channel and when: routing's cheap channel first, quiet
hours from when billing issued it, employers and the government never. Pure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from contracts import events, wrap
from services.notify.domain.recipients import Contact, Delivery, billing_delivery
from services.notify.worker import wants

NOON_WIB = datetime(2026, 5, 1, 5, 0, tzinfo=UTC)
MIDNIGHT_WIB = datetime(2026, 5, 1, 17, 0, tzinfo=UTC)  # 00:00 WIB on 2 May: a bill run


def test_email_is_preferred_over_sms_when_the_member_has_both():
    both = Contact("siti@example.test", "+6281211110000")
    assert billing_delivery(both, "bill_issued", NOON_WIB) == Delivery(
        "email", "siti@example.test", None)


def test_sms_is_used_only_when_the_member_has_no_email():
    assert billing_delivery(Contact(None, "+6281211110000"), "bill_issued", NOON_WIB) == Delivery(
        "sms", "+6281211110000", None)


def test_a_member_without_email_or_phone_is_not_reached():
    assert billing_delivery(Contact(None, None), "bill_issued", NOON_WIB) is None


@pytest.mark.parametrize("template", ["bill_issued", "bill_reminder", "coverage_non_active"])
def test_an_unasked_for_message_at_night_waits_for_six_in_the_morning_wib(template):
    held = billing_delivery(Contact(None, "+6281211110000"), template, MIDNIGHT_WIB)
    assert held is not None and held.not_before == datetime(2026, 5, 1, 23, 0, tzinfo=UTC)


@pytest.mark.parametrize("template", ["payment_received", "coverage_active"])
def test_a_payments_receipt_and_reactivation_go_at_once_even_at_night(template):
    sent = billing_delivery(Contact(None, "+6281211110000"), template, MIDNIGHT_WIB)
    assert sent is not None and sent.not_before is None


def _bill(payer_kind: str, member_id: uuid.UUID | None) -> events.BillIssued:
    return events.BillIssued(bill_id=uuid.uuid4(), payer_kind=payer_kind, payer_id="P1",
                             period="2026-05", amount=150_000, due_date="2026-05-10",
                             member_id=member_id, amount_due=150_000)


def _payment(payer_kind: str, member_id: uuid.UUID | None) -> events.PaymentReceived:
    return events.PaymentReceived(payment_id=uuid.uuid4(), payer_kind=payer_kind, payer_id="P1",
                                  member_id=member_id, amount=150_000, channel="bri",
                                  bank_reference="R1", paid_at=NOON_WIB,
                                  settled_periods=["2026-05"], credit=0)


def _env(e: events.Event):
    return wrap(e, producer="billing", key="P1", correlation_id="c")


def test_only_a_familys_bills_and_payments_reach_the_database():
    member = uuid.uuid4()
    assert wants(_env(_bill("family", member))) and wants(_env(_payment("family", member)))
    for kind in ("employer", "government"):
        assert not wants(_env(_bill(kind, None)))
        assert not wants(_env(_payment(kind, None)))
    assert not wants(_env(_bill("family", None)))  # a family bill with no head to tell
