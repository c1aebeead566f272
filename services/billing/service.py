"""Billing's definition: no features yet; it has its database, outbox relay and health.

The only place billing's clients are built (by common.runtime.bootstrap); nothing connects at
import.
"""

from common.runtime import ServiceDefinition
from services.billing.api import router
from services.billing.settings import Settings
from services.billing.worker import CONSUMERS


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="billing", settings=Settings(), routers=[router], consumers=CONSUMERS
    )
