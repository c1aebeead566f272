"""Reading topics back in tests, with bounded waits."""

from __future__ import annotations

import asyncio
import json
import time

from aiokafka import AIOKafkaConsumer


async def read(bootstrap: str, topic: str, want: int, timeout: float = 20.0,
               settle: float = 0.0) -> list[dict]:
    """Read `topic` from the start until `want` records arrive (then `settle` seconds more, to
    catch duplicates) or `timeout` passes; returns the decoded values with their keys."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    out: list[dict] = []
    try:
        deadline = time.monotonic() + timeout
        settle_until: float | None = None
        while time.monotonic() < deadline:
            if settle_until is None and len(out) >= want:
                settle_until = time.monotonic() + settle
            if settle_until is not None and time.monotonic() >= settle_until:
                break
            batches = await consumer.getmany(timeout_ms=200)
            for records in batches.values():
                for r in records:
                    out.append({"key": r.key.decode() if r.key else None,
                                "partition": r.partition, **json.loads(r.value)})
    finally:
        await consumer.stop()
    return out


async def eventually(check, timeout: float = 20.0, interval: float = 0.1):
    """Poll an async `check` until it returns something truthy; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s (last: {result!r})")
        await asyncio.sleep(interval)
