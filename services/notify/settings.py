"""NOTIFY_* settings; provider endpoints keep the platform-wide names SMTP_*, SMS_*, PUSH_* and
CHAT_*."""

from decimal import Decimal
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from common.settings import ServiceSettings
from services.notify.domain.budget import SmsBudget


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFY_")

    http_port: int = 8004
    seal_key: SecretStr = Field(validation_alias="JKN_SEAL_KEY")
    # Member access tokens (common.member_tokens) and how stale the ended sessions may be.
    jwt_secret: SecretStr = Field(validation_alias="JKN_JWT_SECRET")
    revocation_refresh_seconds: float = 2.0
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
    # FCM HTTP v1's messages:send URL (project in the path) and an OAuth bearer token.
    push_provider_url: str = Field(
        default="http://127.0.0.1:8027/v1/projects/jkn-local/messages:send",
        validation_alias="PUSH_PROVIDER_URL")
    push_provider_token: SecretStr | None = Field(
        default=None, validation_alias="PUSH_PROVIDER_TOKEN")
    # WhatsApp Business Cloud API's /{phone-number-id}/messages URL and its access token.
    chat_provider_url: str = Field(
        default="http://127.0.0.1:8028/v19.0/jkn-local/messages",
        validation_alias="CHAT_PROVIDER_URL")
    chat_provider_token: SecretStr | None = Field(
        default=None, validation_alias="CHAT_PROVIDER_TOKEN")
    # Rupiah per WIB day and per segment; over budget, what is not a code leaves SMS out.
    sms_daily_budget: Decimal = Field(default=Decimal("500000"), ge=0)
    sms_segment_cost: Decimal = Field(default=Decimal("350"), ge=0)
    # One secret per provider for its signed receipts; unset, that channel's receipts are
    # refused.
    push_receipt_secret: SecretStr | None = None
    chat_receipt_secret: SecretStr | None = None
    sms_receipt_secret: SecretStr | None = None
    email_receipt_secret: SecretStr | None = None
    # Scales every channel's backoff (domain/backoff.POLICIES); tests shorten it. max_attempts
    # overrides the policies' five tries when set.
    retry_time_scale: float = Field(default=1.0, gt=0)
    # Dispatcher loops side by side (worker.dispatcher); each holds a pool connection while
    # its batch is sent.
    dispatchers: int = Field(default=4, ge=1, le=16)
    max_attempts: int | None = Field(default=None, ge=1)

    @property
    def smtp_security(self) -> str:
        """How the SMTP connection is protected: starttls, smtps or none."""
        return self.smtp_tls or ("starttls" if self.smtp_starttls else "none")

    @property
    def sms_budget(self) -> SmsBudget:
        return SmsBudget(self.sms_daily_budget, self.sms_segment_cost)

    def receipt_secret(self, channel: str) -> SecretStr | None:
        return getattr(self, f"{channel}_receipt_secret", None)
