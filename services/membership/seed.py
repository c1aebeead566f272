"""Loads the synthetic registries: participants (the programme's records), the civil registry
(every person on every KK, members or not) and, when MEMBERSHIP_DEMO_OFFICER_PASSWORD is set,
a demo branch officer with that password (no password is published: each deployment makes its).

Deterministic and idempotent: the same count gives the same people, and a second run adds
nothing. COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING each.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import time
import uuid
from pathlib import Path

import asyncpg

from common.db import migrate
from services.membership.settings import Settings
from services.membership.tokens import hash_password
from synthetic.civil_registry import non_member_families
from synthetic.population import Person, population

PARTICIPANT_COLUMNS = [f.name for f in dataclasses.fields(Person)]
CIVIL_COLUMNS = ["nik", "kk_number", "full_name", "birth_date", "sex", "relationship",
                 "district_code"]
DEMO_OFFICER = ("petugas.bdl", "Petugas Cabang Bandar Lampung")
DEMO_OFFICER_PASSWORD = "MEMBERSHIP_DEMO_OFFICER_PASSWORD"


def civil(p: Person) -> tuple:
    return (p.nik, p.family_id, p.full_name, p.birth_date, p.sex, p.relationship,
            p.district_code)


async def _load(conn: asyncpg.Connection, table: str, columns: list[str], rows) -> int:
    await conn.execute(f"CREATE TEMP TABLE incoming (LIKE {table}) ON COMMIT DROP")
    await conn.copy_records_to_table("incoming", records=rows, columns=columns)
    cols = ", ".join(columns)
    result = await conn.execute(
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM incoming ON CONFLICT DO NOTHING")
    await conn.execute("DROP TABLE incoming")
    return int(result.split()[-1])


async def seed(dsn: str, count: int) -> tuple[int, int]:
    """Insert the first `count` synthetic participants and the civil registry."""
    await migrate(dsn, Path(__file__).parent / "migrations")
    people = list(population(count))
    others = [p for fam in non_member_families(max(count // 10, 200), people) for p in fam]
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            added = await _load(conn, "participants", PARTICIPANT_COLUMNS,
                                (dataclasses.astuple(p) for p in people))
            residents = await _load(conn, "civil_registry", CIVIL_COLUMNS,
                                    (civil(p) for p in people + others))
            if password := os.environ.get(DEMO_OFFICER_PASSWORD):
                # An upsert: a data dir seeded with an older password gets this one.
                await conn.execute(
                    "INSERT INTO staff (staff_id, username, full_name, role, password_hash)"
                    " VALUES ($1, $2, $3, 'officer', $4) ON CONFLICT (username)"
                    " DO UPDATE SET password_hash = EXCLUDED.password_hash",
                    uuid.uuid4(), *DEMO_OFFICER, hash_password(password))
        return added, residents
    finally:
        await conn.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.membership seed")
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    added, residents = asyncio.run(seed(Settings().database_url.get_secret_value(), args.count))
    print(f"membership: {added} participants and {residents} civil-registry residents added "
          f"({args.count} participants in the synthetic registry) in "
          f"{time.perf_counter() - started:.1f} s")
