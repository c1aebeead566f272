"""The dashboard's counting rules: joins in either order, replays that change nothing, partial
counts per source partition, the branch's day, and the stall rule."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from contracts.envelope import Envelope
from services.ops.domain import events as rules
from services.ops.domain.figures import (
    MemberState,
    branch_day,
    by_day,
    delivery_rate,
    partial_key,
    segments_table,
    sum_partials,
    transition,
    with_activation,
    with_segment,
)
from services.ops.domain.progress import Progress
from tests.shape import assert_domain_imports_no_io


def _apply(state: MemberState, facts) -> tuple[MemberState, dict]:
    counts: dict = {}
    for fact in facts:
        after = with_segment(state, fact) if fact != "activated" else with_activation(state)
        for figure, segment, n in transition(state, after):
            counts[(figure, segment)] = counts.get((figure, segment), 0) + n
        state = after
    return state, {k: v for k, v in counts.items() if v}


def test_enrolment_then_activation_counts_a_participant_and_an_app_user() -> None:
    _, counts = _apply(MemberState(), ["PBPU", "activated"])
    assert counts == {("participants", "PBPU"): 1, ("app_users", "PBPU"): 1}


def test_an_activation_overtaking_the_enrolment_counts_the_same() -> None:
    _, counts = _apply(MemberState(), ["activated", "PBPU"])
    assert counts == {("participants", "PBPU"): 1, ("app_users", "PBPU"): 1}


def test_replayed_facts_change_nothing() -> None:
    _, counts = _apply(MemberState(), ["PBPU", "activated", "PBPU", "activated"])
    assert counts == {("participants", "PBPU"): 1, ("app_users", "PBPU"): 1}


def test_a_segment_change_moves_the_member_and_their_app_use() -> None:
    _, counts = _apply(MemberState(), ["PBPU", "activated", "PPU_BU"])
    assert counts == {("participants", "PPU_BU"): 1, ("app_users", "PPU_BU"): 1}


def test_an_activation_alone_counts_nothing_yet() -> None:
    assert _apply(MemberState(), ["activated"])[1] == {}


def test_member_state_round_trips_through_json() -> None:
    state = MemberState(segment="BP", activated=True)
    assert MemberState.from_json(state.to_json()) == state
    assert MemberState.from_json({}) == MemberState()


def test_partials_of_every_partition_sum_to_one_figure() -> None:
    partials = {partial_key(0, "participants", "BP"): 3, partial_key(7, "participants", "BP"): 4,
                partial_key(7, "app_users", "BP"): 2}
    totals = sum_partials(partials)
    assert totals == {("participants", "BP"): 7, ("app_users", "BP"): 2}
    assert segments_table(totals) == [
        {"segment": "BP", "participants": 7, "app_users": 2, "coverage": 0.2857}]


def test_the_branch_day_is_western_indonesia_time() -> None:
    assert branch_day(datetime(2026, 12, 1, 16, 59, tzinfo=UTC)).isoformat() == "2026-12-01"
    assert branch_day(datetime(2026, 12, 1, 17, 0, tzinfo=UTC)).isoformat() == "2026-12-02"


def test_rates_are_none_without_a_denominator() -> None:
    assert delivery_rate(0, 0) is None
    assert delivery_rate(4, 3) == 0.75


def test_figures_regroup_by_day_and_channel() -> None:
    totals = {("sent", "2026-12-01", "sms"): 4, ("delivered", "2026-12-01", "sms"): 3,
              ("participants", "BP"): 1}
    assert by_day(totals, ["sent", "delivered"]) == {
        "2026-12-01": {"sms": {"sent": 4, "delivered": 3}}}


def _env(type_: str, payload: dict, at: str = "2026-12-01T10:00:00Z") -> Envelope:
    return Envelope(type=type_, version=1, occurred_at=at, producer="t", key="k",
                    correlation_id="c", payload=payload)


def test_events_state_member_facts() -> None:
    enrolled = _env("FamilyEnrolled", {"members": [{"member_id": "a", "segment": "BP"},
                                                   {"member_id": "b", "segment": "BP"}]})
    assert rules.member_facts(enrolled) == [("a", "BP", False), ("b", "BP", False)]
    assert rules.member_facts(_env("AccountActivated", {"member_id": "a"})) == [
        ("a", None, True)]
    assert rules.member_facts(_env("ContactChanged", {})) == []


def test_a_payment_counts_on_its_paid_day_by_channel() -> None:
    paid = _env("PaymentReceived", {"paid_at": "2026-12-01T18:00:00Z", "channel": "bca",
                                    "amount": 42_000})
    assert rules.payment_counts(paid) == [("payments", "2026-12-02", "bca", 1),
                                          ("amount", "2026-12-02", "bca", 42_000)]


def test_only_final_failures_and_first_receipts_count() -> None:
    retry = _env("NotificationFailed", {"channel": "sms", "final": False})
    final = _env("NotificationFailed", {"channel": "sms", "final": True})
    read = _env("NotificationDelivered", {"channel": "push", "status": "read"})
    assert rules.notification_counts(retry) == []
    assert rules.notification_counts(final) == [("failed", "2026-12-01", "sms", 1)]
    assert rules.notification_counts(read) == []


def test_a_partition_is_stalled_only_with_events_waiting_and_no_progress() -> None:
    p = Progress()
    assert p.stalled({"tp": (5, 9)}, now=0.0, stall_seconds=10) == []
    assert p.stalled({"tp": (5, 12)}, now=9.0, stall_seconds=10) == []
    assert p.stalled({"tp": (5, 12)}, now=10.0, stall_seconds=10) == ["tp"]


def test_moving_or_caught_up_partitions_are_never_stalled() -> None:
    p = Progress()
    p.stalled({"a": (5, 5), "b": (1, 9)}, now=0.0, stall_seconds=10)
    assert p.stalled({"a": (5, 5), "b": (2, 9)}, now=20.0, stall_seconds=10) == []
    # Caught up until now: the clock starts when events begin to wait, not before.
    assert p.stalled({"a": (5, 6)}, now=25.0, stall_seconds=10) == []
    assert p.stalled({"a": (None, 6)}, now=99.0, stall_seconds=10) == []


def test_the_domain_imports_no_io() -> None:
    assert_domain_imports_no_io(Path("services/ops"))
