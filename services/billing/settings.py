from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    """BILLING_* settings."""

    model_config = SettingsConfigDict(env_prefix="BILLING_")

    http_port: int = 8002
