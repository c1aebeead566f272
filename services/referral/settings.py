from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    """REFERRAL_* settings."""

    model_config = SettingsConfigDict(env_prefix="REFERRAL_")

    http_port: int = 8003
