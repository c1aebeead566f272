"""The ops dashboard's numbers: sent, delivered and failed by channel and WIB day; SMS segments
and spend against the daily budget; channels skipped and why."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from services.notify.domain.budget import SmsBudget
from services.notify.store import ops


async def numbers(pool: asyncpg.Pool, since: date, budget: SmsBudget) -> dict[str, Any]:
    return {
        "since": since,
        "by_channel": [dict(r) for r in await ops.outcomes(pool, since)],
        "sms": {"daily_budget": budget.daily, "segment_cost": budget.segment_cost,
                "days": [{**dict(r), "left": budget.daily - r["spent"]}
                         for r in await ops.sms_days(pool, since)]},
        "skipped": [dict(r) for r in await ops.fallbacks(pool, since)],
    }
