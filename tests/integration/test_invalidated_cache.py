"""The in-process cache PostgreSQL invalidates (common/invalidated_cache.py), on the real
database: kept until a NOTIFY names its key, never stored over a change made while it was
read, and never served without a live LISTEN connection."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest

from common.invalidated_cache import InvalidatedCache

pytestmark = pytest.mark.integration


class Counting:
    """A loader that counts its calls and answers the current value."""

    def __init__(self) -> None:
        self.calls, self.value = 0, "v1"

    async def __call__(self) -> str:
        self.calls += 1
        return self.value


async def _eventually(check, timeout: float = 5.0) -> float:
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, "timed out"
        await asyncio.sleep(0.001)
    return time.monotonic() - started


@pytest.fixture
async def cache(db):
    dsn, _ = db
    c = InvalidatedCache(dsn, f"cache_{uuid.uuid4().hex[:8]}", max_entries=100, ttl_seconds=60)
    task = asyncio.create_task(c.run())
    await asyncio.wait_for(c.connected.wait(), 10)
    yield c
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)


async def test_an_answer_is_kept_until_a_notification_names_it(cache, db):
    _, pool = db
    load = Counting()
    assert await cache.read("a", load) == "v1"
    assert await cache.read("a", load) == "v1"
    assert load.calls == 1

    load.value = "v2"
    await pool.execute("SELECT pg_notify($1, 'a')", cache.channel)
    waited = await _eventually(lambda: cache.get("a") is None)
    assert waited < 1.0  # the other processes' window of a stale answer
    assert await cache.read("a", load) == "v2"
    assert load.calls == 2


async def test_everything_goes_on_a_star(cache, db):
    _, pool = db
    load = Counting()
    for key in "abc":
        await cache.read(key, load)
    await pool.execute("SELECT pg_notify($1, '*')", cache.channel)
    await _eventually(lambda: all(cache.get(k) is None for k in "abc"))


async def test_a_change_while_reading_is_never_cached_over(cache, db):
    _, pool = db
    arrived = asyncio.Event()

    async def load_during_a_change() -> str:
        # A commit lands after this read's snapshot: its notification arrives mid-read.
        await pool.execute("SELECT pg_notify($1, 'k')", cache.channel)
        await _eventually(lambda: cache._generation > before)
        arrived.set()
        return "stale"

    before = cache._generation
    assert await cache.read("k", load_during_a_change) == "stale"
    assert arrived.is_set()
    assert cache.get("k") is None


async def test_forget_drops_at_once_and_not_found_is_not_kept(cache):
    load = Counting()
    await cache.read("a", load)
    cache.forget("a")
    assert cache.get("a") is None

    async def missing() -> None:
        return None

    assert await cache.read("gone", missing) is None
    assert cache.get("gone") is None


async def test_without_its_connection_nothing_is_served_and_it_comes_back_empty(cache, db):
    _, pool = db
    load = Counting()
    await cache.read("a", load)
    pid = cache._listener.get_server_pid()
    await pool.execute("SELECT pg_terminate_backend($1)", pid)
    await _eventually(lambda: cache.get("a") is None)
    # Reconnected: a new backend, an empty cache, and caching again.
    await _eventually(lambda: cache.listening and cache._listener.get_server_pid() != pid)
    await cache.read("a", load)
    await cache.read("a", load)
    assert load.calls == 2  # once before the loss, once after it (the cache came back empty)
