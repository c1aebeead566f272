"""Billing's definition: settings, schema, routes, consumers and the scheduler.

The only place billing's clients are built (by common.runtime.bootstrap); nothing connects at
import.
"""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.billing import api
from services.billing.settings import Settings
from services.billing.worker import CONSUMERS


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="billing",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        consumers=CONSUMERS,
    )
