"""Billing's definition: settings, schema, routes, consumers and the scheduler.

The only place billing's clients are built (by common.runtime.bootstrap); nothing connects at
import.
"""

from datetime import timedelta
from pathlib import Path

from common.retention import Expiring
from common.runtime import ServiceDefinition
from services.billing import api, worker
from services.billing.collector import collect_autodebit
from services.billing.settings import Settings

# Billing's own short-lived rows, purged by the retention job with the common tables: an ended
# session or a disabled staff account matters while its tokens live (15 minutes); the call
# audit is kept 90 days.
EXPIRING = [
    Expiring("revoked_sessions", "ended_at", timedelta(days=1)),
    Expiring("disabled_staff", "disabled_at", timedelta(days=1)),
    Expiring("partner_calls", "at", timedelta(days=90)),
]


def build() -> ServiceDefinition:
    defn = ServiceDefinition(
        name="billing",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        tasks=[worker.scheduler, collect_autodebit],
        expiring=EXPIRING,
    )
    # Read the clock at call time: the test clock replaces defn.clock after build().
    defn.consumers = worker.consumers(lambda: defn.clock.now())
    return defn
