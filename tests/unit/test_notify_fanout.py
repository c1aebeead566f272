"""Fan-out's rules: the channel a message takes, its destinations, quiet hours from the event's
time, the inbox's copy, the inbox's cursor, receipt signatures, and who the consumer skips.
Pure."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from common.errors import InvalidInput
from contracts import events, wrap
from services.notify.domain import inbox, signatures
from services.notify.domain.fanout import Audience, held_until, mask_destination, plan
from services.notify.domain.inbox_copy import inbox_copy
from services.notify.domain.preferences import MemberPreferences
from services.notify.domain.quiet import QuietHours
from services.notify.domain.routing import Channel, Preferences
from services.notify.worker import wants

NOON_WIB = datetime(2026, 5, 1, 5, 0, tzinfo=UTC)
MIDNIGHT_WIB = datetime(2026, 5, 1, 17, 0, tzinfo=UTC)  # 00:00 WIB on 2 May: a bill run
PHONE, EMAIL = "+6281211110000", "siti@example.test"


def audience(email=EMAIL, phone=PHONE, devices=(), **prefs) -> Audience:
    return Audience(email, phone, tuple(devices), MemberPreferences(**prefs))


def test_push_first_then_chat_then_email_then_sms():
    everything = audience(devices=["tok-a", "tok-b"], chat_opt_in=True)
    assert plan("bill_issued", everything).channels == (
        Channel.PUSH, Channel.CHAT, Channel.EMAIL, Channel.SMS)
    assert everything.destinations(Channel.PUSH) == ("tok-a", "tok-b")
    assert plan("bill_issued", audience()).primary is Channel.EMAIL
    assert plan("bill_issued", audience(email=None)).primary is Channel.SMS
    assert plan("bill_issued", audience(email=None, phone=None)).primary is None


def test_chat_needs_the_members_opt_in_and_a_phone():
    skipped = dict(plan("request_update", audience(email=None)).skipped)
    assert skipped[Channel.CHAT] == "no_chat_opt_in" and skipped[Channel.PUSH] == "no_device"
    assert plan("request_update", audience(email=None, chat_opt_in=True)).primary is Channel.CHAT


def test_a_disabled_channel_is_skipped_with_the_reason():
    prefs = Preferences(disabled=frozenset({Channel.EMAIL}))
    p = plan("bill_issued", audience(routing=prefs))
    assert p.primary is Channel.SMS and (Channel.EMAIL, "disabled") in p.skipped


def test_a_security_alert_goes_to_the_channel_chosen_for_codes():
    prefs = Preferences(code_channel=Channel.EMAIL)
    assert plan("login_locked", audience(routing=prefs, devices=["t"])).primary is Channel.EMAIL
    assert plan("login_locked", audience(devices=["t"])).primary is Channel.SMS


@pytest.mark.parametrize("template", ["bill_issued", "bill_reminder", "coverage_non_active",
                                      "request_update"])
def test_an_unasked_for_message_at_night_waits_for_six_in_the_morning_wib(template):
    assert held_until(template, audience(), MIDNIGHT_WIB) == datetime(2026, 5, 1, 23, 0,
                                                                      tzinfo=UTC)
    assert held_until(template, audience(), NOON_WIB) is None


@pytest.mark.parametrize("template", ["payment_received", "coverage_active", "login_locked",
                                      "verification_code", "complaint"])
def test_what_answers_the_member_or_is_urgent_goes_at_once_even_at_night(template):
    assert held_until(template, audience(), MIDNIGHT_WIB) is None


def test_quiet_hours_are_the_members_own():
    late = audience(quiet=QuietHours(time(23), time(5)))
    at_2230_wib = datetime(2026, 5, 1, 15, 30, tzinfo=UTC)
    assert held_until("bill_issued", late, at_2230_wib) is None
    assert held_until("bill_issued", audience(), at_2230_wib) is not None


def test_the_language_is_the_members_choice_else_the_address_books():
    assert audience().language == "id"
    chosen = MemberPreferences(routing=Preferences(language="en"), chosen_language=True)
    assert Audience(None, PHONE, (), chosen, locale="id").language == "en"


def test_the_inbox_copy_of_a_code_says_where_it_went_never_the_code():
    params = {"code_sealed": "SEALED", "expires_at": NOON_WIB.isoformat(), "full_name": "Siti",
              "purpose": "registration"}
    copy = inbox_copy("verification_code", params, "en", "+6281234567890", NOON_WIB.isoformat())
    assert "+62812****7890" in copy.text and "SEALED" not in copy.text
    assert mask_destination("siti@example.test") == "s***@example.test"


def test_the_inbox_cursor_round_trips_and_a_forged_one_is_refused():
    c = inbox.Cursor(NOON_WIB, uuid.uuid4())
    assert inbox.decode(c.encode()) == c
    assert inbox.decode(None) is None
    for bad in ("nope", "bm9wZXxub3BlCg", c.encode()[:-3]):
        with pytest.raises(InvalidInput) as refused:
            inbox.decode(bad)
        assert refused.value.fields == ("cursor",)


def test_a_receipt_signature_must_match_and_be_fresh():
    body, secret = b'{"message_id":"m","status":"delivered"}', b"s3cret"
    ts = int(NOON_WIB.timestamp())
    sig = signatures.sign(secret, ts, body)
    signatures.verify(secret, str(ts), sig, body, NOON_WIB + timedelta(minutes=4))
    for args in ((str(ts), sig, body + b" "), (str(ts), sig.replace("a", "b", 1), body),
                 (None, sig, body), (str(ts), None, body), ("x", sig, body)):
        with pytest.raises(signatures.BadSignature):
            signatures.verify(secret, *args, NOON_WIB)
    with pytest.raises(signatures.BadSignature):
        signatures.verify(secret, str(ts), sig, body, NOON_WIB + timedelta(minutes=6))


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
