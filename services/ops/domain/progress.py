"""Liveness on progress: a stalled consumer is one whose partitions have events waiting while its
position has not moved for a while. Pure: the worker feeds it positions (the group's committed
offsets), ends and monotonic times."""

from __future__ import annotations

from collections.abc import Hashable, Mapping


class Progress:
    """Remembers, per partition, the last position seen and since when it has not moved."""

    def __init__(self) -> None:
        self._since: dict[Hashable, tuple[int, float]] = {}

    def stalled(self, offsets: Mapping[Hashable, tuple[int | None, int | None]], *,
                now: float, stall_seconds: float) -> list[Hashable]:
        """The partitions (of `offsets`: partition -> (position, end)) that have had
        events waiting and no progress for `stall_seconds`. A caught-up partition is never
        stalled, and the clock restarts whenever it catches up or moves."""
        out = []
        for tp, (position, highwater) in offsets.items():
            if position is None or highwater is None:
                continue
            seen = self._since.get(tp)
            if seen is None or seen[0] != position or highwater <= position:
                self._since[tp] = (position, now)
            elif now - seen[1] >= stall_seconds:
                out.append(tp)
        return out
