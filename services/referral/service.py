"""Referral's definition: the facility search API; its seed announces facilities to membership."""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.referral.api import router
from services.referral.settings import Settings


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="referral",
        settings=Settings(),
        migrations=Path(__file__).parent / "migrations",
        routers=[router],
    )
