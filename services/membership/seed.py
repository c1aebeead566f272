"""Loads the synthetic registries: participants (the programme's records), the civil registry
(every person on every KK, members or not) and, when MEMBERSHIP_DEMO_OFFICER_PASSWORD or
MEMBERSHIP_DEMO_SUPERVISOR_PASSWORD is set, a demo branch officer or supervisor with that
password (no password is published: each deployment makes its).

Deterministic and idempotent: the same count gives the same people, and a second run adds
nothing. COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING each.

Every family this run inserts is announced to billing with one FamilyEnrolled (payer, wage,
minimum wage and opening arrears from synthetic.billing), COPYed into the outbox in the same
transaction: a rerun inserts no family and stages nothing. `as_of` is the 1st of the seed
day's month (WIB), so a family's opening arrears end the month before the one it is seeded in
and billing's first bill run is this month's, whenever the seed runs.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import operator
import os
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path

import asyncpg
from pydantic import SecretStr

from common.db import migrate
from services.membership import bulk_enrolment
from services.membership.domain.calendar import local_date
from services.membership.domain.enrolment import period_start
from services.membership.settings import Settings
from services.membership.tokens import hash_password
from synthetic.billing import FamilyBilling, family_billing
from synthetic.civil_registry import non_member_families
from synthetic.population import Person, population

PARTICIPANT_COLUMNS = [f.name for f in dataclasses.fields(Person)]
_COVERAGE = PARTICIPANT_COLUMNS.index("coverage")
_participant_row = operator.attrgetter(*PARTICIPANT_COLUMNS)
PROGRESS_FROM = 50_000  # families; smaller seeds print only their summary
CIVIL_COLUMNS = ["nik", "kk_number", "full_name", "birth_date", "sex", "relationship",
                 "district_code"]
DEMO_BRANCH = "bandar-lampung"  # the study's branch (migration 0006 gives older accounts it)
DEMO_OFFICER_PASSWORD = "MEMBERSHIP_DEMO_OFFICER_PASSWORD"
DEMO_SUPERVISOR_PASSWORD = "MEMBERSHIP_DEMO_SUPERVISOR_PASSWORD"
# (the variable holding its password, username, display name, role)
DEMO_STAFF = (
    (DEMO_OFFICER_PASSWORD, "petugas.bdl", "Petugas Cabang Bandar Lampung", "officer"),
    (DEMO_SUPERVISOR_PASSWORD, "supervisor.bdl", "Supervisor Cabang Bandar Lampung",
     "supervisor"),
)
NIK_DIGEST_KEY = "JKN_NIK_DIGEST_KEY"


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


class Progress:
    """One overwritten stderr line per step of a big seed (nothing for a small one)."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.shown = label, total, total >= PROGRESS_FROM
        self.step = max(total // 50, 1)
        self.next = self.step

    def __call__(self, done: int) -> None:
        if self.shown and (done >= self.next or done == self.total):
            self.next = done + self.step
            end = "\n" if done == self.total else ""
            print(f"\rmembership seed: {self.label} {done:,}/{self.total:,}", end=end,
                  file=sys.stderr, flush=True)


Family = tuple[list[Person], FamilyBilling]


def _participant_rows(families: list[Family]) -> Iterator[tuple]:
    """Person rows with the coverage the billing register implies (the demo family owes)."""
    for members, billing in families:
        for p in members:
            row = _participant_row(p)
            if row[_COVERAGE] != billing.coverage:
                row = (*row[:_COVERAGE], billing.coverage, *row[_COVERAGE + 1:])
            yield row


async def _insert_participants(conn: asyncpg.Connection,
                               families: list[Family]) -> tuple[int, dict[str, int]]:
    """Insert what is new; returns how many went in, and {family_id: members inserted} for
    each family with no participant before this run (the statement's other parts see the
    table as it was before the insert)."""
    await conn.execute("CREATE TEMP TABLE incoming (LIKE participants) ON COMMIT DROP")
    await conn.copy_records_to_table("incoming", records=_participant_rows(families),
                                     columns=PARTICIPANT_COLUMNS)
    cols = ", ".join(PARTICIPANT_COLUMNS)
    rows = await conn.fetch(
        f"WITH ins AS (INSERT INTO participants ({cols}) SELECT {cols} FROM incoming"
        " ON CONFLICT DO NOTHING RETURNING family_id)"
        " SELECT family_id, count(*)::int AS n, NOT EXISTS (SELECT 1 FROM participants p"
        " WHERE p.family_id = ins.family_id) AS new FROM ins GROUP BY family_id")
    await conn.execute("DROP TABLE incoming")
    return sum(r["n"] for r in rows), {r["family_id"]: r["n"] for r in rows if r["new"]}


async def _enrol(conn: asyncpg.Connection, families: list[Family], new: dict[str, int], *,
                 now: datetime, nik_key: SecretStr | None) -> int:
    """COPY one FamilyEnrolled per new family into the outbox; returns how many."""
    # A new family whose every member went in is the rule; one that lost a member to a NIK
    # or card already taken is announced with the members it has.
    partial = [members[0].family_id for members, _ in families
               if new.get(members[0].family_id, len(members)) != len(members)]
    present = {r["member_id"] for r in await conn.fetch(
        "SELECT member_id::text FROM participants WHERE family_id = ANY($1::text[])", partial)}
    as_of, correlation_id = period_start(local_date(now)), f"seed-{uuid.uuid4()}"
    progress = Progress("families enrolled", len(new))

    def rows() -> Iterator[tuple]:
        done = 0
        for members, billing in families:
            if members[0].family_id not in new:
                continue
            if new[members[0].family_id] != len(members):
                members = [p for p in members if p.member_id in present]
            body = bulk_enrolment.payload(members, billing, as_of, nik_key)
            yield bulk_enrolment.outbox_row(body, occurred_at=now,
                                            correlation_id=correlation_id)
            done += 1
            progress(done)

    await conn.copy_records_to_table("outbox", records=rows(),
                                     columns=bulk_enrolment.OUTBOX_COLUMNS)
    return len(new)


def _families(count: int) -> list[Family]:
    """The first `count` participants, whole families, each with its billing register entry."""
    progress = Progress("participants generated", count)
    families, done = [], 0
    for _, group in groupby(population(count), key=operator.attrgetter("family_id")):
        members = list(group)
        families.append((members, family_billing(members)))
        done += len(members)
        progress(done)
    return families


async def seed(dsn: str, count: int, *, now: datetime | None = None) -> tuple[int, int, int]:
    """Insert the first `count` synthetic participants and the civil registry, and stage a
    FamilyEnrolled for every family inserted; returns (participants, residents, families)."""
    await migrate(dsn, Path(__file__).parent / "migrations")
    families = _families(count)
    people = [p for members, _ in families for p in members]
    others = [p for fam in non_member_families(max(count // 10, 200), people) for p in fam]
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            added, new = await _insert_participants(conn, families)
            # The NIK digest key (shared with referral): without it no digest is announced.
            key = os.environ.get(NIK_DIGEST_KEY)
            enrolled = await _enrol(conn, families, new, now=now or datetime.now(UTC),
                                    nik_key=SecretStr(key) if key else None)
            residents = await _load(conn, "civil_registry", CIVIL_COLUMNS,
                                    (civil(p) for p in people + others))
            await _demo_staff(conn)
        return added, residents, enrolled
    finally:
        await conn.close()


async def _demo_staff(conn: asyncpg.Connection) -> None:
    """Upsert each demo account whose password the deployment set: a data dir seeded with an
    older password gets this one."""
    for variable, username, full_name, role in DEMO_STAFF:
        if password := os.environ.get(variable):
            await conn.execute(
                "INSERT INTO staff (staff_id, username, full_name, role, branch, password_hash)"
                " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (username)"
                " DO UPDATE SET password_hash = EXCLUDED.password_hash",
                uuid.uuid4(), username, full_name, role, DEMO_BRANCH, hash_password(password))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.membership seed")
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    added, residents, enrolled = asyncio.run(
        seed(Settings().database_url.get_secret_value(), args.count))
    print(f"membership: {added} participants ({enrolled} families enrolled for billing) and "
          f"{residents} civil-registry residents added ({args.count} participants in the "
          f"synthetic registry) in {time.perf_counter() - started:.1f} s")
