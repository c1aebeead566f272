"""Membership's own views of other services' facts, fed by their events (never asked live)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from services.membership.domain.faskes import Facility


async def upsert_facility(conn: asyncpg.Connection, f: dict[str, Any]) -> None:
    """Referral's registry entry for a facility, as of its latest event."""
    await conn.execute(
        "INSERT INTO facilities (code, facility_type, kind, name, district,"
        " accepts_new_members, active, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now())"
        " ON CONFLICT (code) DO UPDATE SET facility_type = EXCLUDED.facility_type,"
        " kind = EXCLUDED.kind, name = EXCLUDED.name, district = EXCLUDED.district,"
        " accepts_new_members = EXCLUDED.accepts_new_members, active = EXCLUDED.active,"
        " updated_at = now()",
        f["code"], f["facility_type"], f["kind"], f["name"], f["district"],
        f["accepts_new_members"], f["active"])


async def facility(conn: asyncpg.Connection, code: str) -> Facility | None:
    """A facility as the FKTP rules read it; None if referral never announced it."""
    f = await conn.fetchrow(
        "SELECT code, facility_type, active, accepts_new_members FROM facilities"
        " WHERE code = $1", code)
    return None if f is None else Facility(**dict(f))


async def upsert_arrears(conn: asyncpg.Connection, family_id: str, unpaid_months: int,
                         as_of: datetime) -> None:
    """Billing's count of a family's unpaid months; an older event never overwrites a newer."""
    await conn.execute(
        "INSERT INTO family_arrears (family_id, unpaid_months, updated_at)"
        " VALUES ($1, $2, $3) ON CONFLICT (family_id) DO UPDATE SET"
        " unpaid_months = EXCLUDED.unpaid_months, updated_at = EXCLUDED.updated_at"
        " WHERE family_arrears.updated_at <= EXCLUDED.updated_at",
        family_id, unpaid_months, as_of)


async def set_coverage(conn: asyncpg.Connection, member_ids: list[uuid.UUID], coverage: str,
                       as_of: datetime) -> None:
    """Billing's coverage for these members; an older event never overwrites a newer one."""
    await conn.execute(
        "UPDATE participants SET coverage = $2, coverage_changed_at = $3"
        " WHERE member_id = ANY($1::uuid[])"
        " AND (coverage_changed_at IS NULL OR coverage_changed_at <= $3)",
        member_ids, coverage, as_of)


async def upsert_virtual_account(conn: asyncpg.Connection, family_id: str, va: str,
                                 va_mandiri: str, as_of: datetime) -> None:
    """The family's virtual accounts as billing opened them, newest event winning."""
    await conn.execute(
        "INSERT INTO family_accounts (family_id, va, va_mandiri, updated_at)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (family_id) DO UPDATE SET va = EXCLUDED.va,"
        " va_mandiri = EXCLUDED.va_mandiri, updated_at = EXCLUDED.updated_at"
        " WHERE family_accounts.updated_at <= EXCLUDED.updated_at",
        family_id, va, va_mandiri, as_of)
