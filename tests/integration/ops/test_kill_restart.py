"""Fault test: the ops worker SIGKILLed mid-stream and restarted counts every figure exactly
as a recount of the topics does (exactly-once transactions, counts once per event id)."""

from __future__ import annotations

import asyncio

import pytest

from services.ops.handlers.figures import figures_of as figures
from services.ops.store.changelogs import ChangelogView
from tests.integration.ops import streams

pytestmark = pytest.mark.integration


async def _some_counted(view: ChangelogView) -> bool:
    await view.catch_up()
    return any(view.values.values())


async def test_a_killed_worker_restarts_to_exact_figures(ops_kafka, tmp_path):
    first = streams.mixed(150, 600, 300)
    rest = streams.mixed(150, 600, 300, after=(150, 600, 300))
    await streams.publish(ops_kafka, first + first[::11])  # some published twice
    worker = streams.WorkerProcess(ops_kafka, "ops-fault", tmp_path / "worker.log")
    view = ChangelogView(ops_kafka, "ops-fault")
    worker.start()
    await view.start()
    try:
        while not await _some_counted(view):
            worker.assert_running()
            await asyncio.sleep(0.2)
        publishing = asyncio.create_task(streams.publish_slowly(ops_kafka, rest + rest[::13]))
        await asyncio.sleep(1.0)
        worker.kill()  # mid-stream: events are still being published and counted
        await view.catch_up()
        at_kill = figures(view.values)  # what the dead worker had committed
        await publishing
        worker.start()
        got, expected = await streams.settled_figures(ops_kafka, view, worker, timeout=120)
        assert at_kill != expected  # the kill came before the end of the stream
        assert got == expected
    finally:
        await view.stop()
        worker.stop()
