"""OPS_* settings of the stream worker and the figures API; the Kafka ones are KAFKA_*."""

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OPS_")

    # The faust app id: names its consumer group and its changelog topics (prefixed in tests).
    app_id: str = "jkn-ops"
    http_host: str = "127.0.0.1"  # 0.0.0.0 in a container, where the edge is another host
    http_port: int = 8006
    log_level: str = "WARNING"
    # Reads staff tokens (common.staff_tokens) for the figures API.
    jwt_secret: SecretStr | None = Field(None, validation_alias="JKN_JWT_SECRET")
    # The credentials the edge presents (common.service_auth; comma-separated, so it rotates).
    service_tokens: SecretStr | None = None
    # A worker whose partitions have events waiting but that processed none for this long is
    # stalled (faust #523/#175/#532): it exits non-zero for its supervisor to restart it.
    stall_seconds: float = Field(60.0, gt=0)
    # How long a dead worker's partitions wait before a restarted one gets them (infra.md §5).
    session_timeout_seconds: float = Field(10.0, gt=0)
    # How often the worker commits its transactions: the figures API sees a count only once
    # it is committed, so this bounds how far the figures trail the events (target 2 s).
    commit_interval_seconds: float = Field(0.5, gt=0)
