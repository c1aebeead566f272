"""MEMBERSHIP_* settings; the shared secrets keep their platform-wide JKN_* names."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="MEMBERSHIP_")

    http_port: int = 8001
    # Seals verification codes for notify (the only other holder of this key), and the token
    # answers the Idempotency-Key guard keeps for replay.
    seal_key: SecretStr = Field(validation_alias="JKN_SEAL_KEY")
    # Signs access tokens; the gateway holds it too, to check tokens at the door.
    jwt_secret: SecretStr = Field(validation_alias="JKN_JWT_SECRET")
    # Keys the hash of verification codes and the guard's request fingerprints, so a leaked
    # table cannot be brute-forced offline.
    code_pepper: SecretStr
    # How often due requests (effective 1st of the month) are looked for; a day's lateness is
    # what matters, so a minute is plenty. Tests shorten it.
    scheduler_interval_seconds: float = 60.0
    # A refresh token presented again this soon after its use is a retry after a dropped
    # answer (a flaky phone), and gets the same pair; later it means the token leaked.
    refresh_reuse_grace_seconds: float = 30.0
    # How stale each process's set of ended sessions may be: an ended login's access tokens
    # stop working within this many seconds (a DB read per interval, not per request).
    revocation_refresh_seconds: float = 2.0
    # GET /v1/me's answers kept per API process, dropped when a commit changes them (trigger +
    # NOTIFY, common.invalidated_cache) and at the latest after the TTL; 0 entries: no cache.
    card_cache_entries: int = Field(100_000, ge=0)
    card_cache_ttl_seconds: float = Field(300.0, gt=0)
    # Keys the NIK digest on enrolment events (common.nik_digest), shared with referral only;
    # unset, no digest is announced and facilities find those members by card number alone.
    nik_digest_key: SecretStr | None = Field(None, validation_alias="JKN_NIK_DIGEST_KEY")
