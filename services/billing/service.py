"""Billing's definition: settings, schema, routes, consumers and the scheduler.

The only place billing's clients are built (by common.runtime.bootstrap); nothing connects at
import.
"""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.billing import api, worker
from services.billing.settings import Settings


def build() -> ServiceDefinition:
    defn = ServiceDefinition(
        name="billing",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        tasks=[worker.scheduler],
    )
    # Read the clock at call time: the test clock replaces defn.clock after build().
    defn.consumers = worker.consumers(lambda: defn.clock.now())
    return defn
