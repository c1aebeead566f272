"""Referral's definition: the facility search API; its seed announces facilities to membership.

The only place referral's clients are built (by common.runtime.bootstrap); nothing connects at
import.
"""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.referral import api
from services.referral.settings import Settings
from services.referral.worker import CONSUMERS


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="referral",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=api.ROUTERS,
        consumers=CONSUMERS,
    )
