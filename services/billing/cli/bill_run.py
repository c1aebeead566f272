"""`python -m services.billing bill-run --period YYYY-MM`: the month's bill run by hand, with a
progress bar (payers done of those to bill, bills per second). Safe to run again or after a
crash: it makes only the bills still missing. Exit 0 done, 1 another run holds the period (or
no tariff prices it), 2 bad arguments."""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from common import logs
from common.db import create_pool, migrate
from common.errors import DomainError, InvalidInput
from services.billing.domain.periods import Period
from services.billing.handlers import bill_run
from services.billing.settings import Settings

MIGRATIONS = Path(__file__).parents[1] / "migrations"


def _period(text: str) -> Period:
    try:
        return Period.parse(text, "--period")
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: {exc.detail}") from None


class Bar:
    """tqdm over payers, with the bill rate since this process started as its postfix."""

    def __init__(self) -> None:
        self.bar: tqdm | None = None
        self.started = time.monotonic()
        self.first_bills: int | None = None

    def __call__(self, p: bill_run.RunProgress) -> None:
        if self.bar is None:
            self.bar = tqdm(total=p.payers_total, initial=p.payers_done, unit="payer",
                            desc=f"bill run {p.period}", dynamic_ncols=True)
            self.first_bills = p.bills
        self.bar.n = p.payers_done
        made = p.bills - (self.first_bills or 0)
        rate = made / max(time.monotonic() - self.started, 1e-9)
        self.bar.set_postfix_str(f"{p.bills} bills, {rate:,.0f} bills/s", refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


async def _run(period: Period) -> int:
    settings = Settings()
    dsn = settings.database_url.get_secret_value()
    await migrate(dsn, MIGRATIONS)
    pool = await create_pool(dsn, 2)
    bar = Bar()
    try:
        result = await bill_run.run(pool, period, now=datetime.now(UTC), progress=bar)
    except bill_run.BillRunBusy:
        bar.close()
        print(f"bill run {period}: another run of this period is in progress")
        return 1
    except DomainError as exc:  # no tariff prices the period: nothing was billed
        bar.close()
        print(f"bill run {period}: {exc.detail}")
        return 1
    finally:
        await pool.close()
    bar.close()
    print(f"bill run {period}: {result.bills} bills for {result.payers_done} payers in "
          f"{time.monotonic() - bar.started:.1f} s"
          + (f"; {result.unpriced_families} families could not be priced (see the log)"
             if result.unpriced_families else ""))
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.billing bill-run",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--period", type=_period, required=True,
                        help="the month to bill, YYYY-MM (for example 2026-12)")
    args = parser.parse_args(argv)  # exits 2 naming --period when it is malformed
    logs.configure("billing", Settings().log_level)
    return asyncio.run(_run(args.period))
