"""Fault test (shared/infra.md §5, faust #523): an agent that stops with no error and no
progress while events wait makes the worker exit (code 3) within OPS_STALL_SECONDS, judged
from the broker's committed offsets, and the restarted worker's figures equal a recount."""

from __future__ import annotations

import asyncio
import subprocess
import time

import pytest

from services.ops.store.changelogs import ChangelogView
from tests.integration.ops import streams

pytestmark = pytest.mark.integration

STALL_SECONDS = 15  # above a fresh worker's recovery, so only the hang can trip it


async def _exit_code(worker: streams.WorkerProcess, timeout: float) -> int | None:
    try:
        return await asyncio.to_thread(worker.proc.wait, timeout)
    except subprocess.TimeoutExpired:
        return None


async def test_a_stalled_agent_exits_the_worker_and_its_restart_counts_exactly(ops_kafka,
                                                                              tmp_path):
    events = streams.mixed(40, 200, 100)
    await streams.publish(ops_kafka, events + events[::7])
    worker = streams.WorkerProcess(ops_kafka, "ops-stall", tmp_path / "worker.log")
    worker.env.update(JKN_FAILPOINTS="ops.count.hang", OPS_STALL_SECONDS=str(STALL_SECONDS))
    view = ChangelogView(ops_kafka, "ops-stall")
    worker.start()
    await view.start()
    try:
        started = time.monotonic()
        assert await _exit_code(worker, timeout=STALL_SECONDS + 90) == 3, \
            f"the stalled worker did not exit 3: see {worker.log_path}"
        assert time.monotonic() - started >= STALL_SECONDS
        assert "stalled" in worker.log_path.read_text()

        del worker.env["JKN_FAILPOINTS"]
        worker.start()
        got, expected = await streams.settled_figures(ops_kafka, view, worker, timeout=120)
        assert got == expected
    finally:
        await view.stop()
        worker.stop()
