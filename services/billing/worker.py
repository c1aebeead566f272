"""Billing's consumers: (topic, event type) -> handler."""

from __future__ import annotations

from common.consumer import ConsumerSpec, Handler, group_specs
from contracts import events, topics
from services.billing.handlers import EVENT_HANDLERS

ROUTES: dict[tuple[str, str], Handler] = {
    (topics.MEMBERSHIP, events.SessionEnded.type): EVENT_HANDLERS[events.SessionEnded.type],
}
CONSUMERS: list[ConsumerSpec] = group_specs("billing", ROUTES)
