"""Referral's definition: settings, schema, routes, consumers (the eligibility projection) and
the referral expiry scheduler.

The only place referral's clients are built (by common.runtime.bootstrap); nothing connects at
import.
"""

from datetime import timedelta
from pathlib import Path

from common.retention import Expiring
from common.runtime import ServiceDefinition
from services.referral import api, worker
from services.referral.settings import Settings

# Referral's own short-lived rows, purged with the common tables: an ended session matters while
# its access tokens live (15 minutes); the partner call audit is kept 90 days.
EXPIRING = [
    Expiring("revoked_sessions", "ended_at", timedelta(days=1)),
    Expiring("partner_calls", "at", timedelta(days=90)),
]


def build() -> ServiceDefinition:
    defn = ServiceDefinition(
        name="referral",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        tasks=[worker.expiry_scheduler],
        expiring=EXPIRING,
        # Referral sets only SET LOCAL and takes only transaction-scoped advisory locks (the
        # outbox relay): a released connection needs no reset round trip (common.db).
        session_state=False,
    )
    # Read the clock at call time: the test clock replaces defn.clock after build().
    defn.consumers = worker.consumers(lambda: defn.clock.now())
    return defn
