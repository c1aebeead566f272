"""One envelope for every integration event, and the registry of event payload models."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

_REGISTRY: dict[tuple[str, int], type[Event]] = {}
# Upcasters turn an older version's payload into the next version's: (type, from_version) -> fn.
_UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


class Event(BaseModel):
    """Base of every integration event payload; subclasses declare type, version and topic."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # consumers ignore unknown fields

    type: ClassVar[str]
    version: ClassVar[int] = 1
    topic: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "type" in cls.__dict__:
            key = (cls.type, cls.version)
            if key in _REGISTRY:
                raise TypeError(f"event {key} registered twice")
            _REGISTRY[key] = cls


class Envelope(BaseModel):
    """What goes on the wire: metadata plus the event's payload, as JSON."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = Field(ge=1)
    occurred_at: AwareDatetime
    producer: str
    key: str = Field(
        description="member or family id; also the Kafka key, so one key stays ordered"
    )
    correlation_id: str
    causation_id: uuid.UUID | None = None
    payload: dict[str, Any]

    @field_validator("occurred_at")
    @classmethod
    def _utc(cls, v: datetime) -> datetime:
        return v.astimezone(UTC)


def wrap(
    event: Event,
    *,
    producer: str,
    key: str,
    correlation_id: str,
    causation_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> Envelope:
    """Put an event into an envelope ready for the outbox."""
    return Envelope(
        type=event.type,
        version=event.version,
        occurred_at=occurred_at or datetime.now(UTC),
        producer=producer,
        key=key,
        correlation_id=correlation_id,
        causation_id=causation_id,
        payload=event.model_dump(mode="json"),
    )


def upcaster(type_: str, from_version: int):
    """Register a function that lifts a payload from `from_version` to the next version."""

    def register(fn: Callable[[dict[str, Any]], dict[str, Any]]):
        _UPCASTERS[(type_, from_version)] = fn
        return fn

    return register


class UnknownEvent(LookupError):
    """No model is registered for this (type, version), and no upcaster leads to one."""


def parse_event(env: Envelope) -> Event:
    """Validate an envelope's payload into its model, upcasting older versions first."""
    payload, version = dict(env.payload), env.version
    while (env.type, version) not in _REGISTRY:
        step = _UPCASTERS.get((env.type, version))
        if step is None:
            raise UnknownEvent(f"{env.type} v{env.version}")
        payload, version = step(payload), version + 1
    return _REGISTRY[(env.type, version)].model_validate(payload)


def registered_events() -> list[type[Event]]:
    """Every event model, in a stable order (for schemas and the AsyncAPI document)."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]
