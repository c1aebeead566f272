"""`python -m services.membership staff create|disable|reset`: an admin manages staff accounts.

create and reset print the account's generated password once (hand it over in person; it is
nowhere else but as a hash). Exit status 2 with the reason on stderr when refused.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime

from common import db
from common.errors import DomainError
from services.membership.handlers import staff_accounts
from services.membership.handlers.commands import CreateStaff, DisableStaff, ResetStaffPassword
from services.membership.settings import Settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m services.membership staff")
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help="a new account; prints its one-time password")
    create.add_argument("username")
    create.add_argument("--name", required=True, help="display name members and staff see")
    create.add_argument("--role", required=True, choices=["officer", "supervisor", "admin"])
    create.add_argument("--branch", help="branch code (officers and supervisors)")
    sub.add_parser("disable", help="refuse the account's logins").add_argument("username")
    sub.add_parser("reset", help="a new password; prints it once").add_argument("username")
    return parser


async def run(dsn: str, args: argparse.Namespace, *, now: datetime) -> str:
    """Do what `args` asks in one transaction; returns the line to print."""
    conn = await db.connect(dsn)
    try:
        async with conn.transaction():
            if args.action == "create":
                password = await staff_accounts.create_staff(
                    conn, CreateStaff(args.username, args.name, args.role, args.branch), now=now)
                return f"created {args.username} ({args.role}); one-time password: {password}"
            if args.action == "disable":
                await staff_accounts.disable_staff(conn, DisableStaff(args.username), now=now)
                return f"disabled {args.username}"
            password = await staff_accounts.reset_password(
                conn, ResetStaffPassword(args.username), now=now)
            return f"reset {args.username}; one-time password: {password}"
    finally:
        await conn.close()


def main(argv: list[str]) -> None:
    args = _parser().parse_args(argv)
    try:
        print(asyncio.run(run(Settings().database_url.get_secret_value(), args,
                              now=datetime.now(UTC))))
    except DomainError as refused:
        print(f"refused: {refused.detail}", file=sys.stderr)
        sys.exit(2)
