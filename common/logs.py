"""JSON logs on stdout, each line carrying the service and the current correlation id.

Never pass personal data (NIK, phone, email, names, codes) to a log call: ids only. Whatever
slips through anyway (a library's exception text) is masked by common.redaction, and each
exception is logged once, by the first record that carries it.
"""

from __future__ import annotations

import contextvars
import json
import logging
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from common.redaction import format_exception, redact

correlation_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "correlation_id", default=None
)


def current_correlation_id() -> str:
    """The correlation id of the work in progress, or a fresh one."""
    return correlation_id.get() or uuid.uuid4().hex


@contextmanager
def correlated(value: str) -> Iterator[None]:
    """Run a block under a correlation id (a request's, or an event's)."""
    token = correlation_id.set(value)
    try:
        yield
    finally:
        correlation_id.reset(token)


class JsonFormatter(logging.Formatter):
    """One JSON object per line; extra fields given with `extra={"fields": {...}}`."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "service": self.service,
            "logger": record.name,
            "msg": redact(record.getMessage()),
        }
        if cid := correlation_id.get():
            line["correlation_id"] = cid
        line.update({k: _scrub(v) for k, v in getattr(record, "fields", {}).items()})
        if record.exc_info and record.exc_info[1] is not None:
            line["exc"] = format_exception(record.exc_info[1])
        return json.dumps(line, default=lambda v: redact(str(v)))


def _scrub(value: Any) -> Any:
    """Strings redacted (inside lists and dicts too); numbers and the like kept as they are."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value


class OncePerException(logging.Filter):
    """Drop a record whose exception an earlier record already logged.

    Starlette re-raises after our 500 handler logged the error (so servers can log it) and
    uvicorn then logs the same exception again; one traceback per failure is enough.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None:
            return True
        if getattr(exc, "_jkn_logged", False):
            return False
        try:
            exc._jkn_logged = True  # type: ignore[attr-defined]
        except AttributeError:  # an exception type with __slots__: log it, maybe twice
            pass
        return True


def configure(service: str, level: str = "INFO") -> None:
    """Send every logger's records to stdout as JSON; quiet the chatty libraries."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    handler.addFilter(OncePerException())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "kafka", "uvicorn.access", "yoyo", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
