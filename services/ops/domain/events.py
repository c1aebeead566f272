"""What each published event means to the dashboard's counts: pure, no I/O."""

from __future__ import annotations

from datetime import datetime

from contracts.envelope import Envelope
from services.ops.domain.figures import branch_day

# (member id, segment or None, activated)
MemberFact = tuple[str, str | None, bool]


def member_facts(env: Envelope) -> list[MemberFact]:
    """The membership facts an event states: each enrolled person's segment, or an activation."""
    p = env.payload
    if env.type == "FamilyEnrolled":
        return [(m["member_id"], m["segment"], False) for m in p["members"]]
    if env.type == "MemberAdded":
        return [(p["member_id"], p["segment"], False)]
    if env.type == "AccountActivated":
        return [(p["member_id"], None, True)]
    return []


def payment_counts(env: Envelope) -> list[tuple[str, str, str, int]]:
    """(figure, day, channel, n) of a payment: one payment and its amount, on its paid day."""
    if env.type != "PaymentReceived":
        return []
    p = env.payload
    day = branch_day(datetime.fromisoformat(p["paid_at"])).isoformat()
    return [("payments", day, p["channel"], 1), ("amount", day, p["channel"], int(p["amount"]))]


def notification_counts(env: Envelope) -> list[tuple[str, str, str, int]]:
    """(figure, day, channel, n) of a notification event; a failure counts once it is final."""
    p = env.payload
    figure = {"NotificationSent": "sent", "NotificationDelivered": "delivered",
              "NotificationFailed": "failed"}.get(env.type)
    if figure is None or (figure == "failed" and not p.get("final")):
        return []
    if figure == "delivered" and p.get("status") != "delivered":
        return []  # a read receipt follows a delivery already counted
    return [(figure, branch_day(env.occurred_at).isoformat(), p["channel"], 1)]
