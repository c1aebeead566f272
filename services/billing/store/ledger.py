"""Payers and billing's projection of members: who is billed, for whom, and their coverage."""

from __future__ import annotations

import uuid
from datetime import date

import asyncpg

from services.billing.domain.periods import WIB


async def payer_for_update(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                           ) -> asyncpg.Record | None:
    """The payer row, locked until the caller's transaction ends (settlement and coverage
    of one payer never interleave)."""
    return await conn.fetchrow(
        "SELECT payer_kind, payer_id, head_member_id, va, locale, credit, coverage,"
        " coverage_since, arrears_months FROM payers WHERE payer_kind = $1 AND payer_id = $2"
        " FOR UPDATE", payer_kind, payer_id)


async def set_arrears(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                      months: int) -> None:
    """Record the counted months of arrears as last published."""
    await conn.execute(
        "UPDATE payers SET arrears_months = $3 WHERE payer_kind = $1 AND payer_id = $2",
        payer_kind, payer_id, months)


async def set_credit(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                     credit: int) -> None:
    """The money the payer holds for its next bills."""
    await conn.execute(
        "UPDATE payers SET credit = $3 WHERE payer_kind = $1 AND payer_id = $2",
        payer_kind, payer_id, credit)


async def set_coverage(conn: asyncpg.Connection, family_id: str, state: str, since: date,
                       ) -> None:
    """A family's coverage from `since` on."""
    await conn.execute(
        "UPDATE payers SET coverage = $2, coverage_since = $3"
        " WHERE payer_kind = 'family' AND payer_id = $1", family_id, state, since)


async def record_reactivation(conn: asyncpg.Connection, family_id: str, today: date,
                              period: str) -> int:
    """Mark the family reactivated today with the months of arrears it paid off while it was
    non-active (what the facility penalty counts); returns that count."""
    # Counted from the bills settled since coverage stopped, not from arrears_months: a family
    # that first pays its arrears and the current month later has 0 arrears by then.
    return await conn.fetchval(
        "WITH paid AS (SELECT count(*)::int AS n FROM bills b, payers p"
        " WHERE p.payer_kind = 'family' AND p.payer_id = $1 AND b.payer_kind = 'family'"
        " AND b.payer_id = $1 AND b.status = 'settled' AND b.period < $3"
        " AND b.settled_at >= coalesce(p.coverage_since, '-infinity'::date)::timestamp"
        " AT TIME ZONE $4)"
        " UPDATE payers SET reactivated_on = $2, reactivated_arrears = paid.n FROM paid"
        " WHERE payer_kind = 'family' AND payer_id = $1 RETURNING paid.n",
        family_id, today, period, WIB.key)


async def family_member_ids(conn: asyncpg.Connection, family_id: str) -> list[uuid.UUID]:
    """Every member of a family as billing knows them."""
    rows = await conn.fetch(
        "SELECT member_id FROM members WHERE family_id = $1 ORDER BY member_id", family_id)
    return [r["member_id"] for r in rows]


async def coverage_candidates(conn: asyncpg.Connection, current_period: str, after: str,
                              limit: int, max_counted: int) -> list[asyncpg.Record]:
    """Payers (payer_kind, payer_id) whose coverage or counted arrears would change today,
    found in one pass over the open bills; keyset-paged by (kind, id) after `after`."""
    # A payer is looked at only if what its open bills say differs from its row: late months
    # counted differently, an active family with a late month, or a non-active family with
    # nothing late and nothing open this month (paid up before the sweep saw it).
    return await conn.fetch(
        "WITH o AS (SELECT payer_kind, payer_id,"
        " count(*) FILTER (WHERE period < $1) AS late,"
        " count(*) FILTER (WHERE period = $1) AS current FROM bills WHERE status = 'open'"
        " GROUP BY payer_kind, payer_id)"
        " SELECT p.payer_kind, p.payer_id FROM payers p LEFT JOIN o USING (payer_kind, payer_id)"
        " WHERE p.payer_kind || '/' || p.payer_id > $2"
        " AND (least(coalesce(o.late, 0), $4) <> p.arrears_months"
        " OR (p.payer_kind = 'family' AND p.coverage = 'active' AND coalesce(o.late, 0) > 0)"
        " OR (p.payer_kind = 'family' AND p.coverage = 'non_active'"
        " AND coalesce(o.late, 0) = 0 AND coalesce(o.current, 0) = 0))"
        " ORDER BY p.payer_kind || '/' || p.payer_id LIMIT $3",
        current_period, after, limit, max_counted)

