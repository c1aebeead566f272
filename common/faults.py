"""Failpoints for fault tests: a named point kills its own process, or hangs the task that
reaches it, when JKN_FAILPOINTS names it.

Off unless the environment names a point, so production pays one set lookup.
"""

import asyncio
import os
import signal
import sys

_ARMED = frozenset(p for p in os.environ.get("JKN_FAILPOINTS", "").split(",") if p)


def failpoint(name: str) -> None:
    """Die at once with SIGKILL (no cleanup, as a power cut would) if `name` is armed."""
    if name in _ARMED:
        print(f"failpoint {name}: killing pid {os.getpid()}", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)


async def hang_point(name: str) -> None:
    """Never return if `name` is armed: the task stops with no error and no progress, as a
    consumer silently stalling does (faust #523)."""
    if name in _ARMED:
        print(f"failpoint {name}: hanging", file=sys.stderr, flush=True)
        await asyncio.Event().wait()
