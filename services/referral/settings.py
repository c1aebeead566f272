"""REFERRAL_* settings; the shared secrets keep their platform-wide JKN_* names."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    """REFERRAL_* settings."""

    model_config = SettingsConfigDict(env_prefix="REFERRAL_")

    http_port: int = 8003
    # Seals facility partners' secrets at rest; keys the Idempotency-Key guard's fingerprints.
    seal_key: SecretStr = Field(validation_alias="JKN_SEAL_KEY")
    # Checks member access tokens (membership signs them).
    jwt_secret: SecretStr = Field(validation_alias="JKN_JWT_SECRET")
    # Keys the NIK digest membership puts on its enrolment events (common.nik_digest): a
    # facility may ask eligibility by NIK while no NIK crosses Kafka. Membership holds it too.
    nik_digest_key: SecretStr = Field(validation_alias="JKN_NIK_DIGEST_KEY")
    # How stale each process's set of ended sessions may be (common.revocation).
    revocation_refresh_seconds: float = 2.0
    # How stale each process's copy of the partners table may be (common.partner_auth).
    partner_refresh_seconds: float = 5.0
    # How often the expiry scheduler looks for referrals whose last valid day has passed; it
    # keeps nothing in memory, so a restart only delays it by this much.
    expiry_interval_seconds: float = Field(default=60.0, gt=0)
