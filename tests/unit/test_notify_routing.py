"""Routing: codes to the member's chosen channel; the rest push, chat, email, SMS; inbox always."""

from __future__ import annotations

import pytest

from services.notify.domain.routing import (
    CODE_CHANNELS,
    PREFERRED,
    Channel,
    Kind,
    Plan,
    Preferences,
    Reach,
    route,
)

P, C, E, S = Channel.PUSH, Channel.CHAT, Channel.EMAIL, Channel.SMS
EVERYTHING = Reach(devices=2, chat_opt_in=True, email=True, phone=True)
NOTHING = Reach()
NOT_CODES = [k for k in Kind if k is not Kind.SECURITY_CODE]


def test_the_kinds_cover_the_member_facing_events():
    assert {k.value for k in Kind} == {
        "security_code", "queue_call", "request_update", "billing", "complaint", "referral",
        "general",
    }


@pytest.mark.parametrize("kind", NOT_CODES)
def test_other_messages_prefer_push_then_chat_then_email_then_sms(kind):
    plan = route(kind, EVERYTHING, Preferences())
    assert plan == Plan((P, C, E, S), (), inbox=True)
    assert plan.primary is P


@pytest.mark.parametrize(
    ("reach", "channels", "skipped"),
    [
        (Reach(chat_opt_in=True, email=True, phone=True), (C, E, S), ((P, "no_device"),)),
        (Reach(devices=1, email=True, phone=True), (P, E, S), ((C, "no_chat_opt_in"),)),
        (Reach(devices=1, chat_opt_in=True, email=True), (P, E),
         ((C, "no_phone"), (S, "no_phone"))),
        (Reach(devices=1, chat_opt_in=True, phone=True), (P, C, S), ((E, "no_email"),)),
        (Reach(email=True), (E,), ((P, "no_device"), (C, "no_phone"), (S, "no_phone"))),
        (Reach(phone=True), (S,), ((P, "no_device"), (C, "no_chat_opt_in"), (E, "no_email"))),
    ],
)
def test_channels_the_member_lacks_are_skipped_with_the_reason(reach, channels, skipped):
    plan = route(Kind.GENERAL, reach, Preferences())
    assert (plan.channels, plan.skipped, plan.inbox) == (channels, skipped, True)


@pytest.mark.parametrize("kind", list(Kind))
def test_a_member_notify_cannot_reach_still_gets_the_inbox_copy(kind):
    plan = route(kind, NOTHING, Preferences())
    assert plan.channels == () and plan.primary is None and plan.inbox


def test_a_chat_opt_in_without_a_phone_is_no_chat():
    assert Reach(chat_opt_in=True).lacks(C) == "no_phone"
    assert Reach(phone=True).lacks(C) == "no_chat_opt_in"
    assert Reach(devices=0).lacks(P) == "no_device"
    assert NOTHING.lacks(Channel.INBOX) is None


def test_disabled_channels_are_skipped_for_other_messages():
    prefs = Preferences(disabled=frozenset({P, S}))
    plan = route(Kind.BILLING, EVERYTHING, prefs)
    assert plan.channels == (C, E)
    assert plan.skipped == ((P, "disabled"), (S, "disabled"))


def test_disabled_wins_over_missing_as_the_recorded_reason():
    plan = route(Kind.GENERAL, Reach(email=True), Preferences(disabled=frozenset({P})))
    assert plan.skipped[0] == (P, "disabled")


def test_a_code_goes_by_sms_when_the_member_has_not_chosen():
    plan = route(Kind.SECURITY_CODE, EVERYTHING, Preferences())
    assert plan.channels == (S, C, E) == CODE_CHANNELS
    assert P not in plan.channels and plan.inbox


@pytest.mark.parametrize(
    ("chosen", "order"), [(S, (S, C, E)), (C, (C, S, E)), (E, (E, S, C))]
)
def test_a_code_goes_first_to_the_chosen_channel(chosen, order):
    assert route(Kind.SECURITY_CODE, EVERYTHING, Preferences(code_channel=chosen)).channels == order


def test_a_code_falls_back_when_the_chosen_channel_is_missing():
    plan = route(Kind.SECURITY_CODE, Reach(phone=True), Preferences(code_channel=E))
    assert plan.channels == (S,)
    assert plan.skipped == ((E, "no_email"), (C, "no_chat_opt_in"))


def test_turning_channels_off_never_stops_a_code():
    prefs = Preferences(code_channel=E, disabled=frozenset({E, S, C}))
    assert route(Kind.SECURITY_CODE, EVERYTHING, prefs).channels == (E, S, C)


@pytest.mark.parametrize("bad", [P, Channel.INBOX])
def test_codes_cannot_be_sent_to_push_or_the_inbox(bad):
    with pytest.raises(ValueError, match="code_channel"):
        Preferences(code_channel=bad)


def test_the_inbox_cannot_be_turned_off():
    with pytest.raises(ValueError, match="inbox"):
        Preferences(disabled=frozenset({Channel.INBOX}))


def test_taking_a_channel_out_keeps_the_order_and_the_reason():
    plan = Plan((P, C, S), ((E, "no_email"),))
    assert plan.without(C, "x") == Plan((P, S), ((E, "no_email"), (C, "x")))
    assert plan.without(E, "x") is plan
    assert PREFERRED == (P, C, E, S)
