"""Quiet hours: when a message that is not urgent waits until morning. Pure; WIB has no DST.

Issue 17: 21:00 to 06:00 WIB by default, per member; security codes and queue calls are never
held (a code expires in minutes, a queue call is useless after the member's turn).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from services.notify.domain.routing import Kind
from services.notify.domain.templates import WIB

URGENT = frozenset({Kind.SECURITY_CODE, Kind.QUEUE_CALL})


@dataclass(frozen=True, slots=True)
class QuietHours:
    """From `start` (inclusive) to `end` (exclusive), wall-clock WIB; it may cross midnight.
    start == end means no quiet hours (a member who wants everything at once)."""

    start: time = time(21, 0)
    end: time = time(6, 0)

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("quiet hours are wall-clock WIB times without a zone")

    def covers(self, at: time) -> bool:
        """Whether a WIB wall-clock time falls inside the quiet hours."""
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end


def release_at(now: datetime, quiet: QuietHours, kind: Kind) -> datetime | None:
    """When a message of `kind` created at `now` may go (UTC), or None to send it at once."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if kind in URGENT:
        return None
    local = now.astimezone(WIB)
    if not quiet.covers(local.time()):
        return None
    release = datetime.combine(local.date(), quiet.end, WIB)
    if release <= local:  # held before midnight: the quiet hours end tomorrow morning
        release += timedelta(days=1)
    return release.astimezone(UTC)
