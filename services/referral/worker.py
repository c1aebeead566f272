"""Referral's consumers: (topic, event type) -> handler. None yet: referral only publishes."""

from __future__ import annotations

from common.consumer import ConsumerSpec, Handler, group_specs

ROUTES: dict[tuple[str, str], Handler] = {}
CONSUMERS: list[ConsumerSpec] = group_specs("referral", ROUTES)
