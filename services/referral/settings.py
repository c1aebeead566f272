"""REFERRAL_* settings; the shared secrets keep their platform-wide JKN_* names."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    """REFERRAL_* settings."""

    model_config = SettingsConfigDict(env_prefix="REFERRAL_")

    http_port: int = 8003
    # Seals partner secrets at rest; keys the fingerprints of Idempotency-Key requests.
    seal_key: SecretStr = Field(validation_alias="JKN_SEAL_KEY")
    # Checks member access tokens (membership signs them).
    jwt_secret: SecretStr = Field(validation_alias="JKN_JWT_SECRET")
    # How stale each process's set of ended sessions may be (common.revocation).
    revocation_refresh_seconds: float = 2.0
    # How stale each process's copy of the partners table may be.
    partner_refresh_seconds: float = 5.0
