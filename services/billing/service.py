"""Billing's definition: no features yet; it has its database, outbox relay and health."""

from common.runtime import ServiceDefinition
from services.billing.settings import Settings


def build() -> ServiceDefinition:
    return ServiceDefinition(name="billing", settings=Settings())
