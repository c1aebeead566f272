"""Referral's definition. Its seed announces facilities; membership keeps a projection."""

from pathlib import Path

from common.runtime import ServiceDefinition
from services.referral.settings import Settings


def build() -> ServiceDefinition:
    return ServiceDefinition(
        name="referral", settings=Settings(), migrations=Path(__file__).parent / "migrations"
    )
