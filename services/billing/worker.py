"""Billing's consumers: (topic, event type) -> handler. None yet (issue 16)."""

from __future__ import annotations

from common.consumer import ConsumerSpec, Handler, group_specs

ROUTES: dict[tuple[str, str], Handler] = {}
CONSUMERS: list[ConsumerSpec] = group_specs("billing", ROUTES)
