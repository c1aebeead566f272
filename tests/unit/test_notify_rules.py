"""Notify's rules: retry schedule, channel choice, who is told, and rendering. No I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.delivery import BACKOFF, Failure, after_attempt
from services.notify.domain.recipients import (
    TOLD,
    Contact,
    activated_contact,
    worth_telling,
)
from services.notify.domain.templates import render

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
FLAKY = Failure("TimeoutError: ")


def test_the_backoff_schedule_is_5s_30s_2min_10min():
    assert [b.total_seconds() for b in BACKOFF] == [5, 30, 120, 600]


def test_each_transient_failure_waits_longer_then_the_last_try_gives_up():
    waits = []
    for before in range(4):
        o = after_attempt(before, FLAKY, max_attempts=5, now=NOW)
        assert (o.attempt, o.status, o.final) == (before + 1, "pending", False)
        waits.append(o.next_attempt_at - NOW)
    assert waits == list(BACKOFF)
    last = after_attempt(4, FLAKY, max_attempts=5, now=NOW)
    assert (last.attempt, last.status, last.final) == (5, "failed", True)
    assert last.next_attempt_at is None


def test_more_attempts_than_backoff_steps_keep_the_longest_wait():
    o = after_attempt(6, FLAKY, max_attempts=10, now=NOW)
    assert o.next_attempt_at - NOW == timedelta(minutes=10)


def test_a_permanent_refusal_gives_up_at_once():
    o = after_attempt(0, Failure("recipient refused", permanent=True), max_attempts=5, now=NOW)
    assert (o.attempt, o.status, o.final, o.next_attempt_at) == (1, "failed", True, None)


def test_a_delivery_is_sent_whatever_the_try():
    for before in (0, 3):
        o = after_attempt(before, None, max_attempts=5, now=NOW)
        assert (o.attempt, o.status, o.final) == (before + 1, "sent", False)
        assert o.next_attempt_at is None


@pytest.mark.parametrize(
    ("contact", "route"),
    [
        (Contact("a@x.test", "+6281200000001"), ("email", "a@x.test")),
        (Contact(None, "+6281200000001"), ("sms", "+6281200000001")),
        (Contact("", "+6281200000001"), ("sms", "+6281200000001")),
        (Contact(None, None), None),
        (Contact("", ""), None),
    ],
)
def test_email_first_else_sms_else_nobody(contact, route):
    assert contact.best_channel() == route


def test_an_activation_fills_the_verified_slot_without_overwriting_a_given_one():
    assert activated_contact(None, None, "sms", "+62812", "en") == Contact(None, "+62812", "en")
    assert activated_contact(None, None, "email", "a@x.test", "id") == Contact("a@x.test", None)
    both = activated_contact("b@x.test", "+62813", "email", "a@x.test", "id")
    assert both == Contact("b@x.test", "+62813", "id")


def test_only_some_request_statuses_are_told():
    assert TOLD == {"checking", "rejected", "scheduled", "applied"}
    assert not worth_telling("received") and not worth_telling("approved")
    assert not worth_telling(None)


CODE_PARAMS = {"full_name": "Siti", "code_sealed": "SEALED", "expires_at": NOW.isoformat()}


def test_the_code_is_revealed_only_to_render_and_sms_is_short():
    seen = []

    def reveal(sealed: str) -> str:
        seen.append(sealed)
        return "482913"

    sms = render("verification_code", CODE_PARAMS, "id", "sms", reveal)
    mail = render("verification_code", CODE_PARAMS, "en", "email", reveal)
    assert seen == ["SEALED", "SEALED"]
    assert "482913" in sms.text and "10:00 WIB" in sms.text and "Siti" not in sms.text
    assert mail.text.startswith("Hello Siti") and "482913" in mail.text
    assert len(sms.text) < len(mail.text)


def test_templates_that_hold_no_secret_never_reveal():
    def reveal(_: str) -> str:
        raise AssertionError("nothing to unseal")

    msg = render("account_activated", {"card_number": "0001234567890"}, "en", "sms", reveal)
    assert "0001234567890" in msg.text
    update = {"kind": "faskes_change", "status": "scheduled", "request_id": "abcdef0123",
              "effective_date": "2027-01-01"}
    assert "2027-01-01" in render("request_update", update, "id", "email", reveal).text


def test_an_unknown_template_is_an_error_not_an_empty_message():
    with pytest.raises(ValueError, match="unknown template"):
        render("newsletter", {}, "id", "email", str)
