"""A monthly bill run's SQL: its progress row, its lock, and the payers and members it reads.

Every read skips payers that already have the period's bill (an anti-join), so a rerun or a
run resumed after a crash picks up exactly where the committed chunks stopped.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date

import asyncpg

RUN_LOCK = 0x6A6B6E16  # pg advisory lock class of "a bill run"; the object is the period
# Members in the order the domain reads a family: the head (the PPU worker who covers the
# dependants) first, then spouse, children (oldest registration first), others.
_MEMBER_ORDER = ("CASE m.relationship WHEN 'head' THEN 0 WHEN 'spouse' THEN 1"
                 " WHEN 'child' THEN 2 ELSE 3 END, m.registered_on, m.card_number")
_MEMBER_COLUMNS = ("m.family_id, m.member_id::text AS member_id, m.segment, m.care_class,"
                   " m.payer_id, m.relationship, m.wage, m.minimum_wage")


def _lock_key(period: str) -> int:
    return int(period.replace("-", ""))


async def try_lock(conn: asyncpg.Connection, period: str) -> bool:
    """Take the period's run lock for this session; False when another run holds it."""
    return await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", RUN_LOCK,
                               _lock_key(period))


async def unlock(conn: asyncpg.Connection, period: str) -> None:
    await conn.execute("SELECT pg_advisory_unlock($1, $2)", RUN_LOCK, _lock_key(period))


async def up_to_date(conn: asyncpg.Connection, period: str) -> bool:
    """True when the period's run has finished and no payer arrived since (the scheduler then
    leaves it alone; a family enrolled after the run is billed by the next pass)."""
    # Both sides are the database's clock (payers.created_at, bill_runs.finished_at), never a
    # service's, which tests may move.
    return bool(await conn.fetchval(
        "SELECT finished_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payers"
        " WHERE created_at > finished_at) FROM bill_runs WHERE period = $1", period))


async def start(conn: asyncpg.Connection, period: str, period_end: date) -> asyncpg.Record:
    """Open (or reopen, after a crash) the period's run; returns its payers to bill and the
    bills already made."""
    total = await conn.fetchval(
        "SELECT count(*) FROM (SELECT DISTINCT payer_kind, payer_id FROM members"
        " WHERE registered_on < $1) p", period_end)
    return await conn.fetchrow(
        "INSERT INTO bill_runs (period, started_at, payers, bills) VALUES ($1, now(), $2,"
        " (SELECT count(*) FROM bills WHERE period = $1)) ON CONFLICT (period) DO UPDATE"
        " SET payers = EXCLUDED.payers, bills = EXCLUDED.bills, finished_at = NULL"
        " RETURNING payers, bills", period, total)


async def advance(conn: asyncpg.Connection, period: str, bills: int) -> None:
    """Count a committed chunk's bills (in the chunk's own transaction)."""
    await conn.execute("UPDATE bill_runs SET bills = bills + $2 WHERE period = $1",
                       period, bills)


async def finish(conn: asyncpg.Connection, period: str) -> None:
    await conn.execute("UPDATE bill_runs SET finished_at = now() WHERE period = $1", period)


async def ensure_payer(conn: asyncpg.Connection, payer_kind: str, payer_id: str) -> None:
    """A payer row for one who may be billed without having members (the subsidy's budget)."""
    await conn.execute("INSERT INTO payers (payer_kind, payer_id) VALUES ($1, $2)"
                       " ON CONFLICT DO NOTHING", payer_kind, payer_id)


async def family_payers(conn: asyncpg.Connection, period: str, period_end: date, after: str,
                        limit: int) -> list[asyncpg.Record]:
    """The next families (by id, after `after`) that pay for a member and lack the period's
    bill, with what their BillIssued needs."""
    return await conn.fetch(
        "SELECT payer_id, head_member_id, va, locale, credit FROM payers"
        " WHERE payer_kind = 'family' AND payer_id IN (SELECT DISTINCT m.payer_id FROM members m"
        " WHERE m.payer_kind = 'family' AND m.payer_id > $3 AND m.registered_on < $2"
        " AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.payer_kind = 'family'"
        " AND b.payer_id = m.payer_id AND b.period = $1) ORDER BY m.payer_id LIMIT $4)"
        " ORDER BY payer_id", period, period_end, after, limit)


async def family_members(conn: asyncpg.Connection, family_ids: Sequence[str], period_end: date,
                         ) -> list[asyncpg.Record]:
    """The billable members of these families, family by family in the domain's order."""
    return await conn.fetch(
        f"SELECT {_MEMBER_COLUMNS} FROM members m WHERE m.family_id = ANY($1::bpchar[])"
        f" AND m.registered_on < $2 ORDER BY m.family_id, {_MEMBER_ORDER}",
        list(family_ids), period_end)


async def group_payers(conn: asyncpg.Connection, period: str, after: tuple[str, str],
                       limit: int) -> list[asyncpg.Record]:
    """The next employers and budgets (by kind and id, after `after`) lacking the period's
    bill."""
    return await conn.fetch(
        "SELECT payer_kind, payer_id, head_member_id, va, locale, credit FROM payers p"
        " WHERE payer_kind <> 'family' AND (payer_kind, payer_id) > ($2, $3)"
        " AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.payer_kind = p.payer_kind"
        " AND b.payer_id = p.payer_id AND b.period = $1)"
        " ORDER BY payer_kind, payer_id LIMIT $4", period, *after, limit)


async def stream_group_members(conn: asyncpg.Connection, kinds: Sequence[str],
                               ids: Sequence[str], subsidised_classes: Sequence[int],
                               period_end: date) -> AsyncIterator[asyncpg.Record]:
    """Every billable member of every family that owes these payers anything, family by
    family, through a server-side cursor (APBN's families are most of the register)."""
    # Self-paying members of a subsidised class put a line on the subsidy payer's bill; the
    # caller passes those classes only when the subsidy payer is among these payers.
    query = (
        f"SELECT {_MEMBER_COLUMNS} FROM members m WHERE m.registered_on < $4 AND m.family_id IN"
        " (SELECT family_id FROM members WHERE (payer_kind, payer_id) IN"
        " (SELECT * FROM unnest($1::text[], $2::text[]))"
        " UNION SELECT family_id FROM members WHERE segment IN ('PBPU', 'BP')"
        " AND care_class = ANY($3::smallint[]))"
        f" ORDER BY m.family_id, {_MEMBER_ORDER}")
    async for row in conn.cursor(query, list(kinds), list(ids), list(subsidised_classes),
                                 period_end, prefetch=5000):
        yield row
