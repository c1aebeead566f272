"""Notify's definition: consumers queue notifications, the dispatcher delivers them.

The only place notify's clients are built (common.runtime.bootstrap, and the dispatcher's HTTP
session when its task starts); nothing connects at import.
"""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.notify.api import router
from services.notify.settings import Settings
from services.notify.worker import CONSUMERS, dispatcher


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="notify",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=[router],
        consumers=CONSUMERS,
        tasks=[dispatcher],
    )
