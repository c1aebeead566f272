"""Loads the synthetic facility registry and announces each new or changed facility.

Idempotent: an unchanged facility is neither rewritten nor announced again.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import uuid
from pathlib import Path

import asyncpg

from common import outbox
from common.db import create_pool, migrate
from contracts import events, wrap
from services.referral.settings import Settings
from synthetic.facilities import facilities

FIELDS = [
    "code",
    "facility_type",
    "kind",
    "name",
    "address",
    "regency",
    "district",
    "lat",
    "lon",
    "capacity",
    "accepts_new_members",
    "active",
]


async def upsert(conn: asyncpg.Connection, f: dict) -> bool:
    """Insert or update one facility; True when something changed."""
    changed = await conn.fetchval(
        f"INSERT INTO facilities ({', '.join(FIELDS)}) VALUES"
        f" ({', '.join(f'${i}' for i in range(1, len(FIELDS) + 1))})"
        " ON CONFLICT (code) DO UPDATE SET "
        + ", ".join(f"{c} = EXCLUDED.{c}" for c in FIELDS[1:])
        + ", updated_at = now() WHERE ("
        + ", ".join(f"facilities.{c}" for c in FIELDS[1:])
        + ") IS DISTINCT FROM ("
        + ", ".join(f"EXCLUDED.{c}" for c in FIELDS[1:])
        + ") RETURNING true",
        *(f[c] for c in FIELDS),
    )
    return bool(changed)


async def seed(dsn: str) -> int:
    await migrate(dsn, Path(__file__).parent / "migrations")
    pool = await create_pool(dsn, 2)
    changed = 0
    try:
        async with pool.acquire() as conn, conn.transaction():
            for fac in facilities():
                f = dataclasses.asdict(fac)
                f["facility_type"] = f.pop("type")
                if await upsert(conn, f):
                    changed += 1
                    event = events.FacilityRegistered(**f)
                    env = wrap(
                        event, producer="referral", key=f["code"], correlation_id=uuid.uuid4().hex
                    )
                    await outbox.add_event(conn, env, event)
    finally:
        await pool.close()
    return changed


def main(argv: list[str]) -> None:
    argparse.ArgumentParser(prog="python -m services.referral seed").parse_args(argv)
    changed = asyncio.run(seed(Settings().database_url.get_secret_value()))
    print(f"referral: {changed} facilities added or changed")
