"""Membership's definition: settings, schema, routes and consumers."""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.membership.api import router
from services.membership.settings import Settings
from services.membership.worker import CONSUMERS


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="membership",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=[router],
        consumers=CONSUMERS,
    )
