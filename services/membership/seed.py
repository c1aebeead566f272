"""Loads the synthetic programme records (a stand-in for the national participant registry).

Deterministic and idempotent: the same count gives the same people, and a second run adds
nothing. COPY into a temporary table, then one INSERT ... ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time

import asyncpg

from common.db import migrate
from services.membership.settings import Settings
from synthetic.population import Person, population

COLUMNS = [f.name for f in dataclasses.fields(Person)]


async def seed(dsn: str, count: int) -> int:
    """Insert the first `count` synthetic people; returns how many were new."""
    from pathlib import Path

    await migrate(dsn, Path(__file__).parent / "migrations")
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute(
                "CREATE TEMP TABLE incoming (LIKE participants INCLUDING DEFAULTS) ON COMMIT DROP"
            )
            await conn.copy_records_to_table(
                "incoming",
                records=(dataclasses.astuple(p) for p in population(count)),
                columns=COLUMNS,
            )
            result = await conn.execute(
                f"INSERT INTO participants ({', '.join(COLUMNS)})"
                f" SELECT {', '.join(COLUMNS)} FROM incoming ON CONFLICT DO NOTHING"
            )
        return int(result.split()[-1])
    finally:
        await conn.close()


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.membership seed")
    parser.add_argument("--count", type=int, default=20_000)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    added = asyncio.run(seed(Settings().database_url.get_secret_value(), args.count))
    print(
        f"membership: {added} participants added ({args.count} in the synthetic registry) "
        f"in {time.perf_counter() - started:.1f} s"
    )
