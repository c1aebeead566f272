"""Payers and billing's projection of members: who is billed, for whom, and their coverage."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import asyncpg

from services.billing.domain.periods import WIB


async def payer_for_update(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                           ) -> asyncpg.Record | None:
    """The payer row, locked until the caller's transaction ends (settlement and coverage
    of one payer never interleave), and whether it is billed for any member."""
    return await conn.fetchrow(
        "SELECT payer_kind, payer_id, head_member_id, va, locale, credit, coverage,"
        " coverage_since, arrears_months, EXISTS (SELECT 1 FROM members m"
        " WHERE m.payer_kind = p.payer_kind AND m.payer_id = p.payer_id) AS bills_members"
        " FROM payers p WHERE payer_kind = $1 AND payer_id = $2 FOR UPDATE OF p",
        payer_kind, payer_id)


async def set_credit(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                     credit: int) -> None:
    """The money the payer holds for its next bills."""
    await conn.execute(
        "UPDATE payers SET credit = $3 WHERE payer_kind = $1 AND payer_id = $2",
        payer_kind, payer_id, credit)


async def set_arrears(conn: asyncpg.Connection, payer_kind: str, payer_id: str,
                      months: int) -> None:
    """Record the counted months of arrears as last published."""
    await conn.execute(
        "UPDATE payers SET arrears_months = $3 WHERE payer_kind = $1 AND payer_id = $2",
        payer_kind, payer_id, months)


# The family's members, returned by the statement that writes its coverage: that statement
# runs with the payer row already locked, so a member added by a transaction the lock waited
# for is named too (a column of the locking SELECT would be read from before the wait).
_MEMBER_IDS = "ARRAY(SELECT member_id FROM members WHERE family_id = $1 ORDER BY member_id)"


async def set_coverage(conn: asyncpg.Connection, family_id: str, state: str, since: date,
                       arrears_months: int | None) -> list[uuid.UUID]:
    """A family's coverage from `since` on, and its counted arrears as last published (None:
    unchanged); returns the family's member ids. One statement."""
    return await conn.fetchval(
        "UPDATE payers SET coverage = $2, coverage_since = $3,"
        " arrears_months = coalesce($4, arrears_months)"
        f" WHERE payer_kind = 'family' AND payer_id = $1 RETURNING {_MEMBER_IDS}",
        family_id, state, since, arrears_months)


async def reactivate(conn: asyncpg.Connection, family_id: str, today: date, period: str,
                     arrears_months: int | None) -> list[uuid.UUID]:
    """The family active again from today, marked reactivated with the months of arrears it
    paid off while it was non-active (what the facility penalty counts), and its counted
    arrears as last published (None: unchanged); returns the family's member ids. One
    statement."""
    # Counted from the bills settled since coverage stopped, not from arrears_months: a family
    # that first pays its arrears and the current month later has 0 arrears by then. The
    # count reads coverage_since before this UPDATE replaces it.
    return await conn.fetchval(
        "WITH paid AS (SELECT count(*)::int AS n FROM bills b, payers p"
        " WHERE p.payer_kind = 'family' AND p.payer_id = $1 AND b.payer_kind = 'family'"
        " AND b.payer_id = $1 AND b.status = 'settled' AND b.period < $3"
        " AND b.settled_at >= coalesce(p.coverage_since, '-infinity'::date)::timestamp"
        " AT TIME ZONE $4)"
        " UPDATE payers SET reactivated_on = $2, reactivated_arrears = paid.n,"
        " coverage = 'active', coverage_since = $2,"
        " arrears_months = coalesce($5, arrears_months) FROM paid"
        f" WHERE payer_kind = 'family' AND payer_id = $1 RETURNING {_MEMBER_IDS}",
        family_id, today, period, WIB.key, arrears_months)


async def coverage_candidates(conn: asyncpg.Connection, current_period: str, after: str,
                              limit: int, max_counted: int) -> list[asyncpg.Record]:
    """Payers (payer_kind, payer_id) whose coverage or counted arrears would change today,
    found in one pass over the open bills; keyset-paged by (kind, id) after `after`."""
    # A payer is looked at only if what its open bills say differs from its row: late months
    # counted differently, an active family with a late month, or a non-active family with
    # nothing late and nothing open this month (paid up before the sweep saw it) that pays
    # for itself (a family paid for by an employer or a budget keeps the register's coverage).
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
        " AND coalesce(o.late, 0) = 0 AND coalesce(o.current, 0) = 0 AND EXISTS (SELECT 1"
        " FROM members m WHERE m.payer_kind = 'family' AND m.payer_id = p.payer_id)))"
        " ORDER BY p.payer_kind || '/' || p.payer_id LIMIT $3",
        current_period, after, limit, max_counted)



_UPSERT_FAMILY = """
WITH old AS (SELECT va FROM payers WHERE payer_kind = 'family' AND payer_id = $1),
fam AS (
    INSERT INTO payers (payer_kind, payer_id, head_member_id, head_card_number, head_name, va,
                        va_mandiri, coverage, coverage_since, arrears_months)
    VALUES ('family', $1, $2, $3, $4, $5, $6, $7, $8, $9)
    -- Coverage and arrears are billing's own from the first enrolment on: a re-enrolment
    -- refreshes who the family is, never what it has paid.
    ON CONFLICT (payer_kind, payer_id) DO UPDATE SET head_member_id = EXCLUDED.head_member_id,
        head_card_number = EXCLUDED.head_card_number, head_name = EXCLUDED.head_name,
        va = EXCLUDED.va, va_mandiri = EXCLUDED.va_mandiri
    RETURNING va),
others AS (
    INSERT INTO payers (payer_kind, payer_id)
    SELECT * FROM unnest($10::text[], $11::text[]) ON CONFLICT DO NOTHING),
projected AS (
    INSERT INTO members (member_id, family_id, card_number, relationship, segment, care_class,
                         fktp_code, registered_on, payer_kind, payer_id, wage, minimum_wage,
                         updated_at)
    SELECT m.member_id, $1, m.card_number, m.relationship, m.segment, m.care_class, m.fktp_code,
        m.registered_on, m.payer_kind, m.payer_id, m.wage, m.minimum_wage, $12
    FROM unnest($13::uuid[], $14::text[], $15::text[], $16::text[], $17::smallint[],
        $18::text[], $19::date[], $20::text[], $21::text[], $22::bigint[], $23::bigint[])
        AS m (member_id, card_number, relationship, segment, care_class, fktp_code,
              registered_on, payer_kind, payer_id, wage, minimum_wage)
    -- An older event (a redelivery overtaken by a class change) never overwrites a newer one.
    ON CONFLICT (member_id) DO UPDATE SET family_id = EXCLUDED.family_id,
        card_number = EXCLUDED.card_number, relationship = EXCLUDED.relationship,
        segment = EXCLUDED.segment, care_class = EXCLUDED.care_class,
        fktp_code = EXCLUDED.fktp_code, registered_on = EXCLUDED.registered_on,
        payer_kind = EXCLUDED.payer_kind, payer_id = EXCLUDED.payer_id, wage = EXCLUDED.wage,
        minimum_wage = EXCLUDED.minimum_wage, updated_at = EXCLUDED.updated_at
    WHERE members.updated_at <= EXCLUDED.updated_at)
SELECT NOT EXISTS (SELECT 1 FROM old) AS new,
       (SELECT va FROM old) IS DISTINCT FROM (SELECT va FROM fam) AS va_changed
"""
MEMBER_FIELDS = ("member_id", "card_number", "relationship", "segment", "care_class",
                 "fktp_code", "registered_on", "payer_kind", "payer_id", "wage", "minimum_wage")


async def upsert_family(conn: asyncpg.Connection, family: dict[str, Any],
                        others: list[tuple[str, str]], members: list[dict[str, Any]],
                        as_of: datetime) -> asyncpg.Record:
    """The family's payer row, the other payers its members have, and its members, in one
    statement; returns whether the family is new to billing and whether its VA is new (or
    changed)."""
    f = family
    # family_id and updated_at are the same for every member: $1 and $12, not arrays.
    columns = [[m[name] for m in members] for name in MEMBER_FIELDS]
    return await conn.fetchrow(
        _UPSERT_FAMILY, f["family_id"], f["head_member_id"], f["head_card_number"],
        f["head_name"], f["va"], f["va_mandiri"], f["coverage"], f["coverage_since"],
        f["arrears_months"], [k for k, _ in others], [i for _, i in others], as_of, *columns)


async def add_member(conn: asyncpg.Connection, family_id: str, member: dict[str, Any],
                     as_of: datetime) -> None:
    """A person joining a known family, billed like the family's head (nothing when billing
    never heard of the family: MemberAdded is keyed by family, so it follows FamilyEnrolled).
    Without an FKTP of their own they are listed at the head's."""
    await conn.execute(
        "INSERT INTO members (member_id, family_id, card_number, relationship, segment,"
        " care_class, fktp_code, registered_on, payer_kind, payer_id, updated_at)"
        " SELECT $2, family_id, $3, $4, $5, $6, coalesce($7, fktp_code), $8, payer_kind,"
        " payer_id, $9 FROM members WHERE family_id = $1"
        " ORDER BY relationship <> 'head', member_id LIMIT 1 ON CONFLICT (member_id) DO NOTHING",
        family_id, member["member_id"], member["card_number"], member["relationship"],
        member["segment"], member["care_class"], member["fktp_code"], member["registered_on"],
        as_of)


async def set_care_class(conn: asyncpg.Connection, member_ids: list[uuid.UUID], care_class: int,
                         as_of: datetime) -> None:
    """A class change of these members (the whole family), unless a newer fact is recorded."""
    await conn.execute(
        "UPDATE members SET care_class = $2, updated_at = $3"
        " WHERE member_id = ANY($1::uuid[]) AND updated_at <= $3", member_ids, care_class, as_of)


async def set_fktp(conn: asyncpg.Connection, member_id: uuid.UUID, fktp_code: str,
                   as_of: datetime) -> None:
    """A member's new FKTP, unless a newer fact is recorded."""
    await conn.execute(
        "UPDATE members SET fktp_code = $2, updated_at = $3"
        " WHERE member_id = $1 AND updated_at <= $3", member_id, fktp_code, as_of)
