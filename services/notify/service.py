"""Notify's definition: consumers fan events out, the dispatcher delivers, the API serves the
member's inbox and preferences, providers' receipts and the ops numbers.

The only place notify's clients are built (common.runtime.bootstrap, and the dispatcher's HTTP
session when its task starts); nothing connects at import.
"""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.notify.api import ROUTERS
from services.notify.settings import Settings
from services.notify.worker import consumers, dispatcher


def build() -> ServiceDefinition:
    settings = Settings()
    return ServiceDefinition(
        name="notify",
        settings=settings,
        migrations=Path(__file__).parent / "migrations",
        routers=ROUTERS,
        consumers=consumers(settings.sms_budget),
        tasks=[dispatcher],
        # Nothing notify runs leaves state on a pooled session (LISTEN has its own connection),
        # so a released connection skips the reset round trip.
        session_state=False,
    )
