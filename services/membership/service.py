"""Membership's definition: settings, schema, routes, consumers and the scheduler."""

from datetime import timedelta
from pathlib import Path

from common.retention import Expiring
from common.runtime import ServiceDefinition
from services.membership import api, worker
from services.membership.settings import Settings

# Membership's own short-lived rows, purged by the retention job with the common tables. Each
# window is well past the longest time the row matters: an access token lives 15 minutes, the
# code budget looks back one day, the longest login wait is 15 minutes.
EXPIRING = [
    Expiring("revoked_sessions", "revoked_at", timedelta(days=1)),
    Expiring("code_issues", "issued_at", timedelta(days=2)),
    Expiring("login_throttle", "last_failure_at", timedelta(days=1)),
]


def build() -> ServiceDefinition:
    defn = ServiceDefinition(
        name="membership",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        tasks=[worker.scheduler],
        expiring=EXPIRING,
        # Membership sets only SET LOCAL and takes only transaction-scoped advisory locks (the
        # relay's, the code budgets'); LISTEN has its own connection: a released connection
        # needs no reset round trip (common.db), a tenth of GET /v1/me's CPU.
        session_state=False,
    )
    # Read the clock at call time: the test clock replaces defn.clock after build().
    defn.consumers = worker.consumers(lambda: defn.clock.now())
    return defn
