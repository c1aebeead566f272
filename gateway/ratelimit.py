"""A fixed-window counter per client and minute, in memory.

Per gateway process; with several gateways behind a balancer the limit multiplies, which is
acceptable for its purpose (blunting floods). A shared limit would live in PostgreSQL.
"""

from __future__ import annotations

import time


class WindowLimiter:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._window = 0
        self._counts: dict[str, int] = {}

    def hit(self, client: str, now: float | None = None) -> int:
        """Count one request; returns 0 if allowed, else seconds until the next window."""
        now = time.time() if now is None else now
        window = int(now // 60)
        if window != self._window:
            self._window, self._counts = window, {}
        count = self._counts.get(client, 0) + 1
        self._counts[client] = count
        return 0 if count <= self.per_minute else int(60 - now % 60) + 1
