"""Participants: the programme's record of each member, their family (KK) and the civil registry."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import asyncpg

Row = asyncpg.Record
# Identity fields an approved correction may set, by the column that holds each.
IDENTITY_COLUMNS = {"full_name": "full_name", "birth_date": "birth_date", "nik": "nik"}


async def by_nik_for_update(conn: asyncpg.Connection, nik: str) -> Row | None:
    """The programme record for a NIK, locked: registrations of one person queue up here."""
    return await conn.fetchrow("SELECT * FROM participants WHERE nik = $1 FOR UPDATE", nik)


async def get(conn: asyncpg.Connection, member_id: uuid.UUID, *,
              for_update: bool = False) -> Row | None:
    lock = " FOR UPDATE" if for_update else ""
    return await conn.fetchrow(f"SELECT * FROM participants WHERE member_id = $1{lock}",
                               member_id)


async def nik_is_participant(conn: asyncpg.Connection, nik: str) -> bool:
    return bool(await conn.fetchval("SELECT 1 FROM participants WHERE nik = $1", nik))


async def card_view(conn: asyncpg.Connection, account_id: uuid.UUID) -> Row | None:
    """What /v1/me shows: the participant record with its FKTP's name and its family's VA
    from the projections."""
    return await conn.fetchrow(
        "SELECT p.card_number, p.full_name, p.segment, p.pn_corps, p.care_class, p.fktp_code,"
        " f.name AS fktp_name, p.coverage, p.family_id, p.member_id, a.email, a.phone, p.address,"
        " v.va FROM accounts a JOIN participants p USING (member_id)"
        " LEFT JOIN facilities f ON f.code = p.fktp_code"
        " LEFT JOIN family_accounts v ON v.family_id = p.family_id"
        " WHERE a.account_id = $1", account_id)


async def profile(conn: asyncpg.Connection, member_id: uuid.UUID) -> Row | None:
    """Family, name and message language of a member with an account."""
    return await conn.fetchrow(
        "SELECT p.family_id, p.full_name, a.locale FROM participants p JOIN accounts a"
        " USING (member_id) WHERE p.member_id = $1", member_id)


async def family_of(conn: asyncpg.Connection, member_id: uuid.UUID) -> list[Row]:
    """Everyone on the member's KK, oldest first."""
    return await conn.fetch(
        "SELECT q.nik, q.card_number, q.full_name, q.birth_date, q.relationship, q.segment,"
        " q.care_class, q.fktp_code, q.coverage FROM participants p"
        " JOIN participants q ON q.family_id = p.family_id WHERE p.member_id = $1"
        " ORDER BY q.birth_date", member_id)


async def family_facts(conn: asyncpg.Connection, family_id: str) -> Row:
    """What the class-change rule reads about a family, arrears from billing's events."""
    return await conn.fetchrow(
        "SELECT min(segment) AS segment, min(care_class) AS care_class,"
        " min(registered_at) AS registered_at, max(last_class_change) AS last_change,"
        " COALESCE((SELECT unpaid_months FROM family_arrears WHERE family_id = $1), 0)"
        " AS unpaid_months FROM participants WHERE family_id = $1", family_id)


async def next_card_number(conn: asyncpg.Connection) -> str:
    """A new 13-digit card number (prefix 0005 keeps it clear of the seeded registry's)."""
    seq = await conn.fetchval("SELECT nextval('card_seq')")
    return f"0005{seq:09d}"


async def civil_records_for_update(conn: asyncpg.Connection, kk_number: str) -> list[Row]:
    """The civil registry's people on a KK, locked: two submissions of one family queue up."""
    return await conn.fetch(
        "SELECT * FROM civil_registry WHERE kk_number = $1 ORDER BY nik FOR UPDATE", kk_number)


async def participating_niks(conn: asyncpg.Connection, niks: list[str]) -> set[str]:
    rows = await conn.fetch("SELECT nik FROM participants WHERE nik = ANY($1::text[])", niks)
    return {r["nik"] for r in rows}


async def insert_pbpu_member(conn: asyncpg.Connection, civil: Row, *, member_id: uuid.UUID,
                             card_number: str, family_id: str, care_class: int, fktp_code: str,
                             registered_on: date) -> None:
    """A new self-paying family's member, inactive until the first premium."""
    await conn.execute(
        "INSERT INTO participants (member_id, nik, card_number, full_name, birth_date,"
        " sex, family_id, relationship, segment, care_class, fktp_code, fktp_since,"
        " registered_at, coverage, district_code) VALUES ($1, $2, $3, $4, $5, $6, $7,"
        " $8, 'PBPU', $9, $10, $11, $11, 'inactive', $12)",
        member_id, civil["nik"], card_number, civil["full_name"], civil["birth_date"],
        civil["sex"], family_id, civil["relationship"], care_class, fktp_code, registered_on,
        civil["district_code"])


async def insert_child(conn: asyncpg.Connection, head: Row, child: dict[str, Any], *,
                       card_number: str, effective: date) -> None:
    """A newborn joins the head's family with the family's segment, class and FKTP."""
    await conn.execute(
        "INSERT INTO participants (member_id, nik, card_number, full_name, birth_date, sex,"
        " family_id, relationship, segment, pn_corps, care_class, fktp_code, fktp_since,"
        " registered_at, coverage, district_code) VALUES ($1, $2, $3, $4, $5, $6, $7, 'child',"
        " $8, $9, $10, $11, $12, $12, $13, $14)",
        child["new_member_id"], child["nik"], card_number, child["full_name"],
        date.fromisoformat(child["birth_date"]), child["sex"], head["family_id"],
        head["segment"], head["pn_corps"], head["care_class"], head["fktp_code"], effective,
        head["coverage"], head["district_code"])


async def set_fktp(conn: asyncpg.Connection, member_id: uuid.UUID, code: str,
                   since: date) -> None:
    await conn.execute(
        "UPDATE participants SET fktp_code = $2, fktp_since = $3 WHERE member_id = $1",
        member_id, code, since)


async def set_family_class(conn: asyncpg.Connection, family_id: str, care_class: int,
                           since: date) -> list[uuid.UUID]:
    """The whole KK moves class together; returns who moved."""
    rows = await conn.fetch(
        "UPDATE participants SET care_class = $2, last_class_change = $3 WHERE family_id = $1"
        " RETURNING member_id", family_id, care_class, since)
    return [r["member_id"] for r in rows]


class NikTaken(Exception):
    """Another participant's record holds this NIK."""


async def set_identity_field(conn: asyncpg.Connection, member_id: uuid.UUID, field: str,
                             value: Any) -> None:
    """Set one identity field; raises NikTaken when the new NIK is another participant's."""
    column = IDENTITY_COLUMNS[field]
    try:
        async with conn.transaction():  # a savepoint: the violation must not doom the caller
            await conn.execute(f"UPDATE participants SET {column} = $2 WHERE member_id = $1",
                               member_id, value)
    except asyncpg.UniqueViolationError as exc:
        if exc.constraint_name == "participants_nik_key":
            raise NikTaken() from None
        raise


async def set_address(conn: asyncpg.Connection, member_id: uuid.UUID,
                      address: dict[str, Any]) -> None:
    await conn.execute("UPDATE participants SET address = $2 WHERE member_id = $1",
                       member_id, address)
