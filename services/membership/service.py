"""Membership's definition: settings, schema, routes, consumers and the scheduler."""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.membership import api, worker
from services.membership.settings import Settings


def build() -> ServiceDefinition:
    defn = ServiceDefinition(
        name="membership",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        tasks=[worker.scheduler],
    )
    # Read the clock at call time: the test clock replaces defn.clock after build().
    defn.consumers = worker.consumers(lambda: defn.clock.now())
    return defn
