"""The events that tell a payer about a bill, built the same way wherever a bill is issued."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from contracts import events


def bill_issued(bill_id: uuid.UUID, payer_kind: str, payer_id: str, period: str, amount: int,
                due_date: date, payer: asyncpg.Record | dict, due_now: int) -> events.BillIssued:
    """BillIssued for one bill; a family's names its head (who is told) and its VA."""
    family = payer_kind == "family"
    return events.BillIssued(
        bill_id=bill_id, payer_kind=payer_kind, payer_id=payer_id, period=period,
        amount=amount, due_date=due_date, amount_due=due_now,
        member_id=payer["head_member_id"] if family else None,
        va=payer["va"] if family else None, locale=payer["locale"] or "id")
