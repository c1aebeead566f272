from pydantic import Field
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    """BILLING_* settings."""

    model_config = SettingsConfigDict(env_prefix="BILLING_")

    http_port: int = 8002
    # How often the scheduler looks for work: the month's bill run when it has not finished,
    # and reminders whose day has come. A minute late is nothing for either; tests shorten it.
    scheduler_interval_seconds: float = Field(default=60.0, gt=0)
    # How often the coverage sweep runs (payers whose arrears or coverage change by the date
    # alone: the 1st after an unpaid 10th). Hourly, so a WIB midnight is seen within the hour.
    coverage_sweep_interval_seconds: float = Field(default=3600.0, gt=0)
