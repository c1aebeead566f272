"""BILLING_* settings; the shared secrets keep their platform-wide JKN_* names."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    """BILLING_* settings."""

    model_config = SettingsConfigDict(env_prefix="BILLING_")

    http_port: int = 8002
    # Seals partner secrets and autodebit bank accounts at rest; keys fingerprints of bank
    # payment bodies and of Idempotency-Key requests.
    seal_key: SecretStr = Field(validation_alias="JKN_SEAL_KEY")
    # Checks member access tokens and staff tokens (membership signs them).
    jwt_secret: SecretStr = Field(validation_alias="JKN_JWT_SECRET")
    # How stale each process's set of ended sessions may be (common.revocation).
    revocation_refresh_seconds: float = 2.0
    # How stale each process's copy of the partners table may be: a new or deactivated
    # partner takes effect within this many seconds (a DB read per interval, not per call).
    partner_refresh_seconds: float = 5.0
    # Autodebit: the bank's collection endpoint (JSON POST); unset, a built-in deterministic
    # simulator answers (services/billing/autodebit_bank.py).
    autodebit_url: str | None = None
    autodebit_interval_seconds: float = Field(default=60.0, gt=0)
    # How often the scheduler looks for work: the month's bill run when it has not finished,
    # and reminders whose day has come. A minute late is nothing for either; tests shorten it.
    scheduler_interval_seconds: float = Field(default=60.0, gt=0)
    # How often the coverage sweep runs (payers whose arrears or coverage change by the date
    # alone: the 1st after an unpaid 10th). Hourly, so a WIB midnight is seen within the hour.
    coverage_sweep_interval_seconds: float = Field(default=3600.0, gt=0)
