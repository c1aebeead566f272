"""`python -m services.referral seed [--national]`: the synthetic facility registry through
RegisterFacility, each facility's polis, doctors and weekly schedules, and the demo partners.

The plain seed loads Bandar Lampung's 125 facilities; `--national` adds the invented national
registry (synthetic/national.py: about 23,700 FKTP and 3,200 hospitals in all). Idempotent: an
unchanged facility is neither rewritten nor announced again, catalogue rows already there are
kept. Demo partners, when their secrets are set: REFERRAL_DEMO_FKTP_CONS_ID (default 2002) with
REFERRAL_DEMO_FKTP_SECRET, the FKTP 18710003 (the demo participant Suparman's); the demo
hospital 1871R001 is billing's demo facility partner, BILLING_DEMO_FACILITY_CONS_ID (2001)
with BILLING_DEMO_FACILITY_SECRET, so one hospital credential signs on both services.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

import asyncpg
from pydantic import SecretStr

from common.clock import SystemClock
from common.db import create_pool, migrate
from services.referral.domain.facilities import Facility, RegisterFacility
from services.referral.domain.polis import POLIS
from services.referral.handlers import facilities as handlers
from services.referral.handlers.partners import upsert_partner
from services.referral.settings import Settings
from services.referral.store import catalogue as store
from synthetic.catalogue import catalogue
from synthetic.facilities import Facility as SyntheticFacility
from synthetic.facilities import facilities as bandar_lampung
from synthetic.national import national_facilities

# (env prefix, kind, default cons-id, facility code)
DEMO_PARTNERS = (
    ("REFERRAL_DEMO_FKTP", "fktp", "2002", "18710003"),
    ("BILLING_DEMO_FACILITY", "hospital", "2001", "1871R001"),
)


def as_domain(facility: SyntheticFacility) -> Facility:
    f = dataclasses.asdict(facility)
    f["facility_type"] = f.pop("type")
    return Facility(**f)


def registry(national: bool = False) -> list[SyntheticFacility]:
    """The synthetic Bandar Lampung registry, and the national one after it when asked."""
    return bandar_lampung() + (list(national_facilities()) if national else [])


def demo_partners(environ: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    """(cons_id, kind, facility_code, secret) of each demo partner whose secret is set."""
    return [
        (environ.get(f"{prefix}_CONS_ID") or default, kind, facility, secret)
        for prefix, kind, default, facility in DEMO_PARTNERS
        if (secret := environ.get(f"{prefix}_SECRET"))
    ]


async def _catalogue(conn: asyncpg.Connection, listed: Iterable[SyntheticFacility]) -> int:
    await store.sync_polis(conn, [(p.code, p.name_id, p.name_en, p.level) for p in POLIS.values()])
    cats = [catalogue(f.code, f.kind, f.name) for f in listed]
    await store.load(
        conn,
        "facility_polis",
        ((d.code, p) for d, c in zip(listed, cats, strict=True) for p in c.polis),
    )
    await store.load(
        conn, "doctors", ((d.doctor_id, d.facility_code, d.name) for c in cats for d in c.doctors)
    )
    return await store.load(
        conn,
        "schedules",
        (
            (
                s.facility_code,
                s.poli_code,
                s.doctor_id,
                s.day_code,
                s.start,
                s.end,
                s.quota_jkn,
                s.quota_non_jkn,
                s.service_minutes,
            )
            for c in cats
            for s in c.schedules
        ),
    )


async def seed(
    dsn: str, seal_key: SecretStr, environ: Mapping[str, str], *, national: bool = False
) -> tuple[int, int, list[str]]:
    """Register the facilities and their catalogues in one transaction, then the demo
    partners; returns (facilities added or changed, sessions added, demo cons-ids)."""
    await migrate(dsn, Path(__file__).parent / "migrations")
    listed = registry(national)
    clock, correlation_id = SystemClock(), uuid.uuid4().hex
    pool = await create_pool(dsn, 1)
    try:
        async with pool.acquire() as conn, conn.transaction():
            changed = 0
            for f in listed:
                cmd = RegisterFacility(as_domain(f), correlation_id)
                changed += await handlers.register_facility(conn, cmd, clock)
            sessions = await _catalogue(conn, listed)
            partners = demo_partners(environ)
            for cons_id, kind, facility, secret in partners:
                await upsert_partner(
                    conn,
                    cons_id=cons_id,
                    kind=kind,
                    facility_code=facility,
                    secret=secret,
                    seal_key=seal_key,
                    now=clock.now(),
                )
    finally:
        await pool.close()
    return changed, sessions, [p[0] for p in partners]


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.referral seed", description=__doc__)
    parser.add_argument(
        "--national",
        action="store_true",
        help="add the invented national registry (about 27,000 facilities)",
    )
    args = parser.parse_args(argv)
    s = Settings()
    changed, sessions, partners = asyncio.run(
        seed(
            s.database_url.get_secret_value(), s.seal_key, dict(os.environ), national=args.national
        )
    )
    print(
        f"referral: {changed} facilities added or changed, {sessions} weekly sessions added, "
        f"{len(partners)} demo partner(s): {', '.join(partners) or '-'}"
    )
