"""Time as a dependency, so date rules can be tested without waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real UTC time."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ShiftedClock:
    """Real time moved by an offset that tests may change (never enabled in production)."""

    def __init__(self, offset: timedelta = timedelta()) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset
