"""The autodebit collector: a worker task that asks the bank for what active mandates owe.

Every `autodebit_interval_seconds` it claims a collection for each open bill of a family with
an active mandate (bills the bill run issued since the last pass, and opening arrears), asks
the bank (BILLING_AUTODEBIT_URL, or the built-in simulator) and settles what the bank paid.
"""

from __future__ import annotations

import asyncio
import logging

from common.runtime import Runtime
from services.billing.autodebit_bank import bank_for
from services.billing.handlers import autodebit

log = logging.getLogger(__name__)


async def collect_autodebit(rt: Runtime) -> None:
    """Run collection passes until cancelled; a failed pass is logged and retried next time."""
    bank = bank_for(rt.settings.autodebit_url)
    while True:
        try:
            answered = await autodebit.run_collections(rt.pool, bank=bank,
                                                       seal_key=rt.settings.seal_key,
                                                       now=rt.clock.now())
            if answered:
                log.info("autodebit collections answered", extra={"fields": {"n": answered}})
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("autodebit pass failed; will retry", exc_info=True)
        await asyncio.sleep(rt.settings.autodebit_interval_seconds)
