"""Notify's definition: consumers queue notifications, the dispatcher sends them."""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.notify.dispatcher import dispatcher
from services.notify.settings import Settings
from services.notify.worker import CONSUMERS


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="notify",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        consumers=CONSUMERS,
        tasks=[dispatcher],
    )
