"""What an applied request changes in the member's record, and the event that says so.

Called in the transaction that moves the request to `applied` (on its effective date by the
scheduler, or at once when it is effective today), so the record and the request agree.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from contracts import events
from services.membership.lifecycle import stage


async def next_card_number(conn: asyncpg.Connection) -> str:
    """A new 13-digit card number (prefix 0005 keeps it clear of the seeded registry's)."""
    seq = await conn.fetchval("SELECT nextval('card_seq')")
    return f"0005{seq:09d}"


async def _faskes(conn, req, effective: date) -> None:
    d = req["details"]
    await conn.execute(
        "UPDATE participants SET fktp_code = $2, fktp_since = $3 WHERE member_id = $1",
        req["member_id"], d["faskes_code"], effective)
    await stage(conn, events.FaskesChanged(
        member_id=req["member_id"], from_code=d["from_code"], to_code=d["faskes_code"],
        effective_date=effective), str(req["member_id"]))


async def _class(conn, req, effective: date) -> None:
    d = req["details"]
    ids = await conn.fetch(
        "UPDATE participants SET care_class = $2, last_class_change = $3 WHERE family_id = $1"
        " RETURNING member_id", req["family_id"], d["care_class"], effective)
    await stage(conn, events.ClassChanged(
        family_id=req["family_id"], member_ids=[r["member_id"] for r in ids],
        from_class=d["from_class"], to_class=d["care_class"], effective_date=effective),
        req["family_id"])


async def _identity(conn, req, effective: date) -> None:
    d = req["details"]
    column = {"full_name": "full_name", "birth_date": "birth_date", "nik": "nik"}[d["field"]]
    value: Any = date.fromisoformat(d["value"]) if column == "birth_date" else d["value"]
    await conn.execute(f"UPDATE participants SET {column} = $2 WHERE member_id = $1",
                       req["member_id"], value)


async def _family_member(conn, req, effective: date) -> None:
    d = req["details"]
    head = await conn.fetchrow("SELECT * FROM participants WHERE member_id = $1",
                               req["member_id"])
    member_id, card = d["new_member_id"], await next_card_number(conn)
    await conn.execute(
        "INSERT INTO participants (member_id, nik, card_number, full_name, birth_date, sex,"
        " family_id, relationship, segment, pn_corps, care_class, fktp_code, fktp_since,"
        " registered_at, coverage, district_code) VALUES ($1, $2, $3, $4, $5, $6, $7, 'child',"
        " $8, $9, $10, $11, $12, $12, $13, $14)",
        member_id, d["nik"], card, d["full_name"], date.fromisoformat(d["birth_date"]),
        d["sex"], head["family_id"], head["segment"], head["pn_corps"], head["care_class"],
        head["fktp_code"], effective, head["coverage"], head["district_code"])
    await stage(conn, events.MemberAdded(
        family_id=head["family_id"], member_id=member_id, card_number=card,
        segment=head["segment"], care_class=head["care_class"], effective_date=effective),
        head["family_id"])


async def _address(conn, req, effective: date) -> None:
    await conn.execute("UPDATE participants SET address = $2 WHERE member_id = $1",
                       req["member_id"], req["details"]["address"])


APPLY = {
    "faskes_change": _faskes,
    "class_change": _class,
    "identity_correction": _identity,
    "family_member": _family_member,
    "address_change": _address,
}


async def apply(conn: asyncpg.Connection, req: asyncpg.Record, effective: date) -> None:
    """Make an approved request's change real."""
    await APPLY[req["kind"]](conn, req, effective)
