"""Notify's referral events (issue 18): the member is told of a referral issued to them."""

from __future__ import annotations

import asyncpg

from contracts import Envelope, events
from services.notify.domain.budget import SmsBudget
from services.notify.handlers.fanout import _fan_out


async def on_referral_issued(
    conn: asyncpg.Connection, env: Envelope, e: events.ReferralIssued, *, budget: SmsBudget
) -> None:
    await _fan_out(conn, env, "referral_issued", e.member_id, e.model_dump(
        mode="json", include={"referral_number", "to_facility_name", "poli_code",
                              "valid_through"}), budget)
