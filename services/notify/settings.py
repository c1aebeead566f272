"""NOTIFY_* settings; provider endpoints keep the platform-wide names SMTP_* and SMS_*."""

from typing import Literal

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
    # starttls: upgrade a plain connection (port 587); smtps: TLS from the first byte (465);
    # none: the local sink only. Unset: SMTP_STARTTLS decides, as before.
    smtp_tls: Literal["starttls", "smtps", "none"] | None = Field(
        default=None, validation_alias="SMTP_TLS")
    # A PEM file of the CA(s) to trust instead of the system's, for a relay with a private CA.
    smtp_ca_file: str | None = Field(default=None, validation_alias="SMTP_CA_FILE")
    mail_from: str = Field(default="Mobile JKN <no-reply@jkn.local>", validation_alias="MAIL_FROM")
    sms_provider_url: str = Field(
        default="http://127.0.0.1:8026/v1/messages", validation_alias="SMS_PROVIDER_URL"
    )
    sms_provider_token: SecretStr | None = Field(
        default=None, validation_alias="SMS_PROVIDER_TOKEN"
    )
    max_attempts: int = 5

    @property
    def smtp_security(self) -> str:
        """How the SMTP connection is protected: starttls, smtps or none."""
        return self.smtp_tls or ("starttls" if self.smtp_starttls else "none")
