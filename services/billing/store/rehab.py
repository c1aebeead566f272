"""REHAB plans and their instalments."""

from __future__ import annotations

import uuid
from datetime import datetime

import asyncpg

from services.billing.domain.rehab import Instalment

Row = asyncpg.Record
_PLAN = "plan_id, arrears_total, arrears_months, paid_total, status, created_at, completed_at"


async def active(conn: asyncpg.Connection | asyncpg.Pool, payer_kind: str,
                 payer_id: str) -> Row | None:
    return await conn.fetchrow(
        f"SELECT {_PLAN} FROM rehab_plans"
        " WHERE payer_kind = $1 AND payer_id = $2 AND status = 'active'", payer_kind, payer_id)


async def latest(conn: asyncpg.Connection | asyncpg.Pool, payer_kind: str,
                 payer_id: str) -> Row | None:
    return await conn.fetchrow(
        f"SELECT {_PLAN} FROM rehab_plans WHERE payer_kind = $1 AND payer_id = $2"
        " ORDER BY created_at DESC LIMIT 1", payer_kind, payer_id)


async def instalments(conn: asyncpg.Connection | asyncpg.Pool,
                      plan_id: uuid.UUID) -> list[Row]:
    return await conn.fetch(
        "SELECT number, period, due_date, amount, paid_at FROM rehab_instalments"
        " WHERE plan_id = $1 ORDER BY number", plan_id)


async def insert(conn: asyncpg.Connection, *, plan_id: uuid.UUID, payer_kind: str,
                 payer_id: str, member_id: uuid.UUID, arrears_total: int, arrears_months: int,
                 parts: list[Instalment], now: datetime) -> bool:
    """A new active plan with its parts; False when the payer already has one."""
    made = await conn.fetchval(
        "INSERT INTO rehab_plans (plan_id, payer_kind, payer_id, member_id, arrears_total,"
        " arrears_months, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
        " ON CONFLICT (payer_kind, payer_id) WHERE status = 'active' DO NOTHING"
        " RETURNING true", plan_id, payer_kind, payer_id, member_id, arrears_total,
        arrears_months, now)
    if not made:
        return False
    await conn.executemany(
        "INSERT INTO rehab_instalments (plan_id, number, period, due_date, amount)"
        " VALUES ($1, $2, $3, $4, $5)",
        [(plan_id, p.number, str(p.period), p.due_date, p.amount) for p in parts])
    return True


async def add_paid(conn: asyncpg.Connection, plan_id: uuid.UUID, amount: int) -> int:
    """Count money paid while the plan runs; returns the plan's paid total."""
    return await conn.fetchval(
        "UPDATE rehab_plans SET paid_total = paid_total + $2 WHERE plan_id = $1"
        " RETURNING paid_total", plan_id, amount)


async def mark_paid(conn: asyncpg.Connection, plan_id: uuid.UUID, through: int,
                    now: datetime) -> None:
    """Parts 1..through are paid (those not marked yet get now)."""
    await conn.execute(
        "UPDATE rehab_instalments SET paid_at = $3"
        " WHERE plan_id = $1 AND number <= $2 AND paid_at IS NULL", plan_id, through, now)


async def complete(conn: asyncpg.Connection, plan_id: uuid.UUID, now: datetime) -> None:
    await conn.execute("UPDATE rehab_plans SET status = 'completed', completed_at = $2"
                       " WHERE plan_id = $1", plan_id, now)
