"""The eligibility projection's SQL: one row per member, from membership's and billing's events.

Billing's and membership's events come on different topics, so their order is not given: each
write says which fact it is newer than. Coverage is ordered by its effective date
(coverage_as_of; an enrolment only wins when strictly newer, billing's decisions on the same
day win over it), the arrears count by the event's time (arrears_at). A pending class or FKTP
change is kept with its date; a change already due when the next arrives is folded in first.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool

_COLUMNS = (
    "member_id, card_number, family_id, segment, care_class, fktp_code, coverage,"
    " arrears_months, covered_from, next_fktp_code, next_fktp_from, next_care_class,"
    " next_class_from"
)

ENROL_SQL = """
INSERT INTO members (member_id, card_number, nik_digest, family_id, segment, care_class,
                     fktp_code, coverage, arrears_months, coverage_as_of, arrears_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (member_id) DO UPDATE SET
    card_number = EXCLUDED.card_number,
    nik_digest = coalesce(EXCLUDED.nik_digest, members.nik_digest),
    family_id = EXCLUDED.family_id,
    segment = EXCLUDED.segment,
    care_class = EXCLUDED.care_class,
    fktp_code = EXCLUDED.fktp_code,
    coverage = CASE WHEN members.coverage_as_of IS NULL
                      OR EXCLUDED.coverage_as_of > members.coverage_as_of
                    THEN EXCLUDED.coverage ELSE members.coverage END,
    coverage_as_of = greatest(members.coverage_as_of, EXCLUDED.coverage_as_of),
    arrears_months = CASE WHEN members.arrears_at IS NULL
                            OR EXCLUDED.arrears_at > members.arrears_at
                          THEN EXCLUDED.arrears_months ELSE members.arrears_months END,
    arrears_at = greatest(members.arrears_at, EXCLUDED.arrears_at),
    updated_at = now()
"""


async def enrol(conn: asyncpg.Connection, rows: list[tuple]) -> None:
    """Upsert enrolled members: (member_id, card_number, nik_digest, family_id, segment,
    care_class, fktp_code, coverage, arrears_months, coverage_as_of, arrears_at) each."""
    await conn.executemany(ENROL_SQL, rows)


async def add_member(
    conn: asyncpg.Connection,
    *,
    member_id: uuid.UUID,
    card_number: str,
    nik_digest: str | None,
    family_id: str,
    segment: str,
    care_class: int,
    fktp_code: str | None,
    covered_from: date,
) -> None:
    """A member added to a family: covered as the family is (a newborn shares its KK's
    payment state), listed at the given FKTP or the family's."""
    await conn.execute(
        """
        INSERT INTO members (member_id, card_number, nik_digest, family_id, segment, care_class,
                             fktp_code, coverage, arrears_months, covered_from, coverage_as_of,
                             arrears_at)
        SELECT $1, $2, $3, $4, $5, $6, coalesce($7, f.fktp_code, ''),
               coalesce(f.coverage, 'active'), coalesce(f.arrears_months, 0), $8,
               f.coverage_as_of, f.arrears_at
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (SELECT * FROM members WHERE family_id = $4
                           ORDER BY updated_at DESC LIMIT 1) AS f ON true
        ON CONFLICT (member_id) DO NOTHING
        """,
        member_id,
        card_number,
        nik_digest,
        family_id,
        segment,
        care_class,
        fktp_code,
        covered_from,
    )


async def change_class(
    conn: asyncpg.Connection, member_ids: list[uuid.UUID], care_class: int, effective: date
) -> None:
    """R10: the new class from its date; an earlier pending change that is due is kept."""
    await conn.execute(
        "UPDATE members SET"
        " care_class = CASE WHEN next_class_from <= $3 THEN next_care_class ELSE care_class END,"
        " next_care_class = $2, next_class_from = $3, updated_at = now()"
        " WHERE member_id = ANY($1::uuid[])",
        member_ids,
        care_class,
        effective,
    )


async def change_fktp(
    conn: asyncpg.Connection, member_id: uuid.UUID, fktp_code: str, effective: date
) -> None:
    """R5: the new FKTP from its date; until then the old one serves."""
    await conn.execute(
        "UPDATE members SET"
        " fktp_code = CASE WHEN next_fktp_from <= $3 THEN next_fktp_code ELSE fktp_code END,"
        " next_fktp_code = $2, next_fktp_from = $3, updated_at = now()"
        " WHERE member_id = $1",
        member_id,
        fktp_code,
        effective,
    )


async def set_coverage(
    conn: asyncpg.Connection,
    *,
    family_id: str,
    member_ids: list[uuid.UUID],
    coverage: str,
    effective: date,
    arrears_months: int,
    at: datetime,
) -> None:
    """Billing's decision for a family, unless a later one is already here."""
    await conn.execute(
        "UPDATE members SET coverage = $3, coverage_as_of = $4,"
        " arrears_months = CASE WHEN arrears_at IS NULL OR arrears_at <= $6"
        "                       THEN $5 ELSE arrears_months END,"
        " arrears_at = greatest(arrears_at, $6), updated_at = now()"
        " WHERE (family_id = $1 OR member_id = ANY($2::uuid[]))"
        "   AND (coverage_as_of IS NULL OR coverage_as_of <= $4)",
        family_id,
        member_ids,
        coverage,
        effective,
        arrears_months,
        at,
    )


async def set_arrears(
    conn: asyncpg.Connection, family_id: str, unpaid_months: int, at: datetime
) -> None:
    """Billing's count of a family's unpaid months, unless a later count is already here."""
    await conn.execute(
        "UPDATE members SET arrears_months = $2, arrears_at = $3, updated_at = now()"
        " WHERE family_id = $1 AND (arrears_at IS NULL OR arrears_at <= $3)",
        family_id,
        unpaid_months,
        at,
    )


async def by_card(db: Executor, card_number: str) -> Row | None:
    """One member's projection by card number."""
    return await db.fetchrow(f"SELECT {_COLUMNS} FROM members WHERE card_number = $1", card_number)


async def by_nik_digest(db: Executor, digest: str) -> Row | None:
    """One member's projection by the keyed digest of their NIK."""
    return await db.fetchrow(f"SELECT {_COLUMNS} FROM members WHERE nik_digest = $1", digest)


async def by_id(db: Executor, member_id: uuid.UUID) -> Row | None:
    """One member's projection by member id."""
    return await db.fetchrow(f"SELECT {_COLUMNS} FROM members WHERE member_id = $1", member_id)
