"""`python -m services.billing partner rotate|revoke-old <cons_id>`: a bank's or facility's key
rotated with an overlap (common.partner_key_cli)."""

from __future__ import annotations

from pathlib import Path

from common.partner_key_cli import main as key_main
from services.billing.settings import Settings

MIGRATIONS = Path(__file__).parents[1] / "migrations"


def main(argv: list[str]) -> int:
    return key_main(argv, prog="python -m services.billing partner", settings=Settings,
                    migrations=MIGRATIONS)
