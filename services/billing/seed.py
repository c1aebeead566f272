"""`python -m services.billing seed`: the demo partners, when their secrets are given.

BILLING_DEMO_BANK_CONS_ID (default 1001) with BILLING_DEMO_BANK_SECRET is the demo bank;
BILLING_DEMO_FACILITY_CONS_ID (default 2001) with BILLING_DEMO_FACILITY_SECRET the demo
facility. A partner whose secret is not set is left alone. Upserts: safe to run again. A new
partner's secret becomes its first key (sealed under JKN_SEAL_KEY); one that already holds a
key keeps its keys, which `python -m services.billing partner rotate` changes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from common import logs
from common.db import migrate
from services.billing.handlers.partners import upsert_partner
from services.billing.settings import Settings

MIGRATIONS = Path(__file__).parent / "migrations"
# (env prefix, kind, default cons-id, name)
DEMO_PARTNERS = (
    ("BILLING_DEMO_BANK", "bank", "1001", "Demo bank (local)"),
    ("BILLING_DEMO_FACILITY", "facility", "2001", "Demo facility (local)"),
)


def demo_partners(environ: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(cons_id, kind, name, secret) of each demo partner whose secret the environment sets."""
    return [(environ.get(f"{prefix}_CONS_ID") or default, kind, name, secret)
            for prefix, kind, default, name in DEMO_PARTNERS
            if (secret := environ.get(f"{prefix}_SECRET"))]


async def seed(settings: Settings, environ: dict[str, str]) -> list[str]:
    """Upsert the demo partners; returns the cons-ids written."""
    dsn = settings.database_url.get_secret_value()
    await migrate(dsn, MIGRATIONS)
    partners = demo_partners(environ)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            for cons_id, kind, name, secret in partners:
                await upsert_partner(conn, cons_id=cons_id, name=name, kind=kind,
                                     secret=secret, seal_key=settings.seal_key,
                                     now=datetime.now(UTC))
    finally:
        await conn.close()
    return [p[0] for p in partners]


def main(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="python -m services.billing seed",
                            description=__doc__).parse_args(argv)
    settings = Settings()
    logs.configure("billing-seed", settings.log_level)
    written = asyncio.run(seed(settings, dict(os.environ)))
    print(f"billing seed: {len(written)} demo partner(s) upserted: {', '.join(written) or '-'}")
    return 0
