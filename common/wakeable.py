"""A loop that works when PostgreSQL says there is work (LISTEN/NOTIFY), sweeps as a safety net,
and retries failures forever with capped backoff. The outbox relay and notify's dispatcher use it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger(__name__)


class WakeableLoop:
    """Calls `step()` on NOTIFY `channel` or every `sweep_seconds`; `step` returns True if more
    work is already waiting, to run again at once."""

    def __init__(
        self,
        dsn: str,
        channel: str,
        step: Callable[[], Awaitable[bool]],
        *,
        sweep_seconds: float = 2.0,
        name: str = "loop",
    ) -> None:
        self.dsn, self.channel, self.step = dsn, channel, step
        self.sweep_seconds, self.name = sweep_seconds, name
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None

    def wake(self) -> None:
        """Run the next step now (also for in-process writers)."""
        self._wake.set()

    async def run(self) -> None:
        backoff = 0.1
        while True:
            try:
                await self._ensure_listener()
                self._wake.clear()
                more = await self.step()
                backoff = 0.1
                if more:
                    continue
                try:
                    await asyncio.wait_for(self._wake.wait(), self.sweep_seconds)
                except TimeoutError:
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("%s failed; retrying in %.1f s", self.name, backoff, exc_info=True)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    async def _ensure_listener(self) -> None:
        # A lost LISTEN connection (database restart) is rebuilt; the sweep covers the gap.
        if self._listener is not None and not self._listener.is_closed():
            return
        self._listener = await asyncpg.connect(self.dsn)
        await self._listener.add_listener(self.channel, lambda *_: self._wake.set())

    async def close(self) -> None:
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()
