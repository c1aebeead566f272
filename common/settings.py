"""Settings blocks every service composes. Nothing here connects to anything."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    """KAFKA_*: where the broker is, and an optional prefix that namespaces every topic."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_")

    bootstrap_servers: str = "127.0.0.1:9092"
    topic_prefix: str = ""
    # How often a consumer commits the offsets it finished. Effects are idempotent by event id,
    # so a later commit costs only redelivered records after a crash; committing every poll
    # was a broker write per group per poll and a third of an idle consumer's CPU (issue 17).
    commit_interval_ms: int = Field(default=1000, ge=0, le=60_000)
    # What a consumer's fetch waits for (common.kafka.make_consumer): this many bytes, or this
    # long, whichever comes first. The wait is the most an event lingers in the broker.
    fetch_max_wait_ms: int = Field(default=25, ge=0, le=500)
    fetch_min_bytes: int = Field(default=64 * 1024, ge=1)

    def topic(self, logical: str) -> str:
        """The physical topic name of a logical one (tests namespace topics per run)."""
        return f"{self.topic_prefix}{logical}"


class RetentionSettings(BaseSettings):
    """RETENTION_*: how long finished bookkeeping rows are kept before the worker purges them.

    RETENTION_OUTBOX_PUBLISHED_DAYS (7): published outbox rows, kept to answer "was it sent?".
    RETENTION_PROCESSED_EVENTS_DAYS (30): consumed event ids; must outlast any redelivery or
    replay from a dead-letter topic, or a replayed event would take effect twice.
    RETENTION_IDEMPOTENCY_KEYS_HOURS (24): stored first answers; a retry after this runs afresh.
    RETENTION_INTERVAL_SECONDS (3600) between passes; RETENTION_BATCH (1000) rows per delete.
    """

    model_config = SettingsConfigDict(env_prefix="RETENTION_")

    outbox_published_days: float = Field(default=7, gt=0)
    processed_events_days: float = Field(default=30, gt=0)
    idempotency_keys_hours: float = Field(default=24, gt=0)
    interval_seconds: float = Field(default=3600, gt=0)
    batch: int = Field(default=1000, ge=1, le=100_000)


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
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    # How often the worker samples consumer lag and the outbox backlog for /metrics.
    metrics_sample_seconds: float = Field(default=15, gt=0)
    # <PREFIX>SERVICE_TOKENS: the credentials the edge may present (common.service_auth),
    # comma-separated so one rotates without downtime; unset, the internal port is open.
    service_tokens: SecretStr | None = None
