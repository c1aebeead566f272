"""Answers kept in the process while PostgreSQL says they still hold: a trigger NOTIFYs the key of
every row a commit changed, and the key leaves the cache when the notification arrives.

For reads so frequent that their query is most of their cost (membership's GET /v1/me: the app
opens on it). Correctness rests on three rules:
- an answer is stored only when no notification arrived while it was read (a generation
  counter), so a commit made after the read's snapshot can never be cached over;
- without a live LISTEN connection nothing is served or stored; each new connection starts from
  an empty cache (notifications sent while it was away are lost to it);
- entries also expire after `ttl_seconds`, a bound for anything the triggers do not cover.

A notification is delivered after its commit, so another process may answer from its cache
until it arrives (under a millisecond on one host; measured in the integration test). Payload
`*` empties the cache (a statement that changed many rows).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from cachetools import TTLCache

log = logging.getLogger(__name__)

EVERYTHING = "*"
PROBE_SECONDS = 5.0


class InvalidatedCache:
    def __init__(self, dsn: str, channel: str, *, max_entries: int, ttl_seconds: float) -> None:
        self.dsn, self.channel = dsn, channel
        self._entries: TTLCache[str, Any] = TTLCache(max_entries, ttl_seconds)
        self._generation = 0
        self._listener: asyncpg.Connection | None = None
        self._lost = asyncio.Event()
        self.connected = asyncio.Event()  # set while listening (tests, readiness)

    @property
    def listening(self) -> bool:
        return self.connected.is_set()

    def get(self, key: str) -> Any | None:
        return self._entries.get(key) if self.listening else None

    async def read(self, key: str, load: Callable[[], Awaitable[Any]]) -> Any:
        """The cached answer, else `load()`'s, kept unless something changed meanwhile (None,
        "not found", is never kept)."""
        hit = self.get(key)
        if hit is not None:
            return hit
        generation = self._generation
        value = await load()
        if value is not None and self.listening and generation == self._generation:
            self._entries[key] = value
        return value

    def forget(self, key: str) -> None:
        """Drop `key` now (this process's own commit: its notification is still on the way), and
        any answer for it being read."""
        self._generation += 1
        self._entries.pop(key, None)

    def _notified(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        if payload == EVERYTHING:
            self._generation += 1
            self._entries.clear()
        else:
            self.forget(payload)

    def _terminated(self, _conn: Any) -> None:
        self.connected.clear()
        self._generation += 1
        self._entries.clear()
        self._lost.set()

    async def run(self) -> None:
        """Keep the LISTEN connection, rebuilt with capped backoff whenever it is lost."""
        backoff = 0.1
        while True:
            try:
                self._lost.clear()
                conn = await asyncpg.connect(self.dsn)
                conn.add_termination_listener(self._terminated)
                await conn.add_listener(self.channel, self._notified)
                self._generation += 1
                self._entries.clear()
                self._listener, backoff = conn, 0.1
                self.connected.set()
                await self._watch(conn)
                log.warning("cache listener on %s lost; serving uncached until it is back",
                            self.channel)
            except asyncio.CancelledError:
                await self.close()
                raise
            except Exception:
                log.warning("cache listener on %s lost; serving uncached, retrying in %.1f s",
                            self.channel, backoff, exc_info=False)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 5.0)
            finally:
                if self._listener is not None and self._listener.is_closed():
                    self._listener = None

    async def _watch(self, conn: asyncpg.Connection) -> None:
        """Return when the connection is lost; a probe every few seconds notices one that went
        silent without closing (a network that drops packets), which no FIN would announce."""
        while True:
            try:
                await asyncio.wait_for(self._lost.wait(), PROBE_SECONDS)
                return
            except TimeoutError:
                pass
            try:
                await conn.fetchval("SELECT 1", timeout=PROBE_SECONDS)
            except Exception:
                self._terminated(conn)
                conn.terminate()
                return

    async def close(self) -> None:
        self.connected.clear()
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()
        self._listener = None
        self._entries.clear()
