"""`python -m services.referral seed`: loads the synthetic registry through RegisterFacility.

Idempotent: an unchanged facility is neither rewritten nor announced again.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import uuid
from pathlib import Path

from common.clock import SystemClock
from common.db import create_pool, migrate
from services.referral.domain.facilities import Facility, RegisterFacility
from services.referral.handlers import facilities as handlers
from services.referral.settings import Settings
from synthetic.facilities import facilities


def registry() -> list[Facility]:
    """The synthetic Bandar Lampung registry as the domain's facilities."""
    out = []
    for fac in facilities():
        f = dataclasses.asdict(fac)
        f["facility_type"] = f.pop("type")
        out.append(Facility(**f))
    return out


async def seed(dsn: str) -> int:
    """Register every facility in one transaction; returns how many were added or changed."""
    await migrate(dsn, Path(__file__).parent / "migrations")
    pool = await create_pool(dsn, 2)
    clock, correlation_id = SystemClock(), uuid.uuid4().hex
    changed = 0
    try:
        async with pool.acquire() as conn, conn.transaction():
            for f in registry():
                cmd = RegisterFacility(f, correlation_id)
                changed += await handlers.register_facility(conn, cmd, clock)
    finally:
        await pool.close()
    return changed


def main(argv: list[str]) -> None:
    argparse.ArgumentParser(prog="python -m services.referral seed").parse_args(argv)
    changed = asyncio.run(seed(Settings().database_url.get_secret_value()))
    print(f"referral: {changed} facilities added or changed")
