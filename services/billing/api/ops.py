"""Read endpoints for the ops dashboard (branch staff tokens)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query

from services.billing.api.deps import Db, Now, Officer
from services.billing.domain.periods import local_date
from services.billing.handlers import queries

router = APIRouter(prefix="/v1/ops/billing", tags=["ops"])


@router.get("/collections")
async def collections(officer: Officer, db: Db, now: Now,
                      day: date | None = Query(None, alias="date")):
    """One day's payments (WIB, today by default) by channel and segment."""
    return await queries.collections(db, day or local_date(now))


@router.get("/arrears")
async def arrears(officer: Officer, db: Db, now: Now):
    """Payers in arrears today (WIB) by segment: payers, counted months, amount owed."""
    return await queries.arrears_today(db, local_date(now))
