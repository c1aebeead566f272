"""The ops dashboard's numbers (branch officers only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from services.notify.api.deps import Db, Now, Officer, SettingsDep
from services.notify.domain.budget import budget_day
from services.notify.handlers import ops

router = APIRouter(prefix="/v1/ops/notify", tags=["ops"])


@router.get("/numbers")
async def numbers(_officer: Officer, db: Db, s: SettingsDep, now: Now,
                  days: Annotated[int, Query(ge=1, le=92)] = 7):
    """Sent, delivered and failed by channel and WIB day; SMS segments and spend against the
    budget; channels skipped and why, for the last `days` days."""
    since = budget_day(now) - timedelta(days=days - 1)
    return await ops.numbers(db, since, s.sms_budget)
