"""NOTIFY_* settings; provider endpoints keep the platform-wide names SMTP_* and SMS_*."""

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_")

    http_port: int = 8004
    seal_key: SecretStr = Field(validation_alias="JKN_SEAL_KEY")
    smtp_host: str = Field(default="127.0.0.1", validation_alias="SMTP_HOST")
    smtp_port: int = Field(default=1025, validation_alias="SMTP_PORT")
    smtp_username: str | None = Field(default=None, validation_alias="SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(default=None, validation_alias="SMTP_PASSWORD")
    smtp_starttls: bool = Field(default=False, validation_alias="SMTP_STARTTLS")
    mail_from: str = Field(default="Mobile JKN <no-reply@jkn.local>", validation_alias="MAIL_FROM")
    sms_provider_url: str = Field(
        default="http://127.0.0.1:8026/v1/messages", validation_alias="SMS_PROVIDER_URL"
    )
    sms_provider_token: SecretStr | None = Field(
        default=None, validation_alias="SMS_PROVIDER_TOKEN"
    )
    max_attempts: int = 5
