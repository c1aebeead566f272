"""Notify's definition: consumers fan events out, the dispatcher delivers, the API serves the
member's inbox and preferences, providers' receipts and the ops numbers.

The only place notify's clients are built (common.runtime.bootstrap, and the dispatcher's HTTP
session when its task starts); nothing connects at import.
"""

from datetime import timedelta
from pathlib import Path

from common.retention import Expiring
from common.runtime import ServiceDefinition
from services.notify.api import ROUTERS
from services.notify.settings import Settings
from services.notify.worker import consumers, dispatcher

# Notify's own short-lived rows, purged by the retention job with the common tables: a disabled
# staff account matters while its tokens live (15 minutes).
EXPIRING = [Expiring("disabled_staff", "disabled_at", timedelta(days=1))]


def build() -> ServiceDefinition:
    settings = Settings()
    return ServiceDefinition(
        name="notify",
        settings=settings,
        migrations=Path(__file__).parent / "migrations",
        routers=ROUTERS,
        consumers=consumers(settings.sms_budget),
        tasks=[dispatcher],
        expiring=EXPIRING,
        # Nothing notify runs leaves state on a pooled session (LISTEN has its own connection),
        # so a released connection skips the reset round trip.
        session_state=False,
    )
