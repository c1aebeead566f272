"""Settings blocks every service composes. Nothing here connects to anything."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    """KAFKA_*: where the broker is, and an optional prefix that namespaces every topic."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_")

    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""

    def topic(self, logical: str) -> str:
        """The physical topic name of a logical one (tests namespace topics per run)."""
        return f"{self.topic_prefix}{logical}"


class ServiceSettings(BaseSettings):
    """What every service process needs; subclasses set env_prefix (MEMBERSHIP_, ...)."""

    http_host: str = "127.0.0.1"
    http_port: int
    database_url: SecretStr
    db_pool_size: int = Field(default=20, ge=1, le=100)
    role: str = Field(default="all", pattern="^(api|worker|all)$")
    log_level: str = "INFO"
    max_body_bytes: int = Field(default=64 * 1024, ge=1)  # the edge's limit too (GATEWAY_)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
