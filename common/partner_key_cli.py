"""`python -m services.<billing|referral> partner rotate|revoke-old <cons_id>`: an operator
rotates a partner's key with an overlap (common.partner_keys).

rotate prints the new secret once (hand it to the partner over a trusted channel; it is nowhere
else but sealed) and sets the old key to expire after PARTNER_KEY_OVERLAP_HOURS (24); revoke-old
ends the overlap now, once the partner signs with the new key. Running API processes see the
change within their partner refresh (<SERVICE>_PARTNER_REFRESH_SECONDS). Exit status 2 with the
reason on stderr when refused (an unknown partner, a rotation already under way, no old key).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

import asyncpg
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.db import migrate
from common.errors import DomainError
from common.partner_key_admin import revoke_old, rotate


class KeyedSettings(Protocol):
    """What the command needs of a service's settings."""

    database_url: SecretStr
    seal_key: SecretStr


class KeySettings(BaseSettings):
    """PARTNER_KEY_OVERLAP_HOURS: how long a rotated-out key still signs."""

    model_config = SettingsConfigDict(env_prefix="PARTNER_KEY_")

    overlap_hours: float = Field(default=24, gt=0, le=24 * 90)


def _parser(prog: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.split("\n\n")[1])
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("rotate", help="a new key; prints its secret once").add_argument("cons_id")
    sub.add_parser("revoke-old", help="the old key stops signing now").add_argument("cons_id")
    return parser


def _when(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


async def run(dsn: str, seal_key: SecretStr, args: argparse.Namespace, *, overlap: timedelta,
              now: datetime) -> str:
    """Do what `args` asks in one transaction; returns the lines to print."""
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            if args.action == "rotate":
                key, ends = await rotate(conn, args.cons_id, seal_key=seal_key,
                                         overlap=overlap, now=now)
                old = "".join(f"\nkey {k} signs until {_when(at)}" for k, at in ends.items())
                return (f"partner {args.cons_id}: new key {key.key_id}, valid from "
                        f"{_when(key.valid_from)}; secret (shown once): {key.secret}{old}")
            ends = await revoke_old(conn, args.cons_id, seal_key=seal_key, now=now)
            return f"partner {args.cons_id}: revoked {', '.join(sorted(ends))}"
    finally:
        await conn.close()


def main(argv: list[str], *, prog: str, settings: Callable[[], KeyedSettings],
         migrations: Path) -> int:
    """The command for one service: its settings and its migrations (applied first)."""
    args = _parser(prog).parse_args(argv)
    s = settings()
    dsn = s.database_url.get_secret_value()
    overlap = timedelta(hours=KeySettings().overlap_hours)

    async def migrated_run() -> str:
        await migrate(dsn, migrations)
        return await run(dsn, s.seal_key, args, overlap=overlap, now=datetime.now(UTC))

    try:
        print(asyncio.run(migrated_run()))
    except DomainError as refused:
        print(f"refused: {refused.detail}", file=sys.stderr)
        return 2
    return 0
