"""Notify's rules: retry schedule, channel choice, who is told, and rendering. No I/O."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from services.notify.domain.backoff import POLICIES, RetryPolicy
from services.notify.domain.delivery import Failure, after_attempt, equal_jitter
from services.notify.domain.recipients import (
    TOLD,
    Contact,
    activated_contact,
    worth_telling,
)
from services.notify.domain.routing import Channel
from services.notify.domain.templates import render

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
FLAKY = Failure("TimeoutError: ")


POLICY = RetryPolicy(timedelta(seconds=5), timedelta(minutes=10), 5)
HIGHEST = lambda: 1.0  # noqa: E731 - jitter at its ceiling, so waits are exact


def test_each_transient_failure_waits_up_to_twice_as_long_then_the_last_try_gives_up():
    waits = []
    for before in range(4):
        o = after_attempt(before, FLAKY, POLICY, NOW, rand=HIGHEST)
        assert (o.attempt, o.status, o.final) == (before + 1, "pending", False)
        waits.append((o.next_attempt_at - NOW).total_seconds())
    assert waits == [5, 10, 20, 40]
    last = after_attempt(4, FLAKY, POLICY, NOW, rand=HIGHEST)
    assert (last.attempt, last.status, last.final) == (5, "failed", True)
    assert last.next_attempt_at is None


def test_jitter_spreads_a_retry_below_its_ceiling():
    o = after_attempt(2, FLAKY, POLICY, NOW, rand=lambda: 0.25)
    assert o.next_attempt_at - NOW == timedelta(seconds=5)


def test_a_minute_without_the_sms_provider_never_reaches_the_dead_letters():
    sms, at, before = POLICIES[Channel.SMS], NOW, 0
    while True:  # each wait as short as equal jitter allows: half its ceiling
        o = after_attempt(before, FLAKY, sms, at, rand=lambda: 0.5)
        if o.final:
            break
        at, before = o.next_attempt_at, o.attempt
    assert at - NOW > timedelta(minutes=1) and 0.5 <= equal_jitter() <= 1.0


def test_a_permanent_refusal_gives_up_at_once():
    o = after_attempt(0, Failure("recipient refused", permanent=True), POLICY, NOW)
    assert (o.attempt, o.status, o.final, o.next_attempt_at) == (1, "failed", True, None)


def test_a_replay_gets_exactly_one_more_try():
    o = after_attempt(5, FLAKY, POLICY, NOW, limit=6, rand=HIGHEST)
    assert (o.attempt, o.status, o.final) == (6, "failed", True)


def test_a_code_is_not_retried_after_it_expires():
    o = after_attempt(1, FLAKY, POLICY, NOW, deadline=NOW + timedelta(seconds=3), rand=HIGHEST)
    assert o.final and o.status == "failed"


def test_a_delivery_is_sent_whatever_the_try():
    for before in (0, 3):
        o = after_attempt(before, None, POLICY, NOW)
        assert (o.attempt, o.status, o.final) == (before + 1, "sent", False)
        assert o.next_attempt_at is None


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
