"""Two instances of the ops worker in one group (shared/infra.md §5: test two instances): the
second joining mid-stream moves half the partitions in rebalances, and the first leaving moves
them back, while events are published; the figures still equal an exact recount. The surviving
worker runs under a supervisor, as in production: when faust leaves partitions unfetched after
the rebalance (#629) the worker's liveness rule exits it and its restart recovers."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import GroupCoordinatorNotAvailableError

from services.ops.store.changelogs import ChangelogView
from tests.integration.ops import streams

pytestmark = pytest.mark.integration


async def _members(kafka, group: str) -> int:
    """How many workers the consumer group has now (none while the broker has no group
    coordinator yet, as on a fresh broker)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka.bootstrap_servers)
    await admin.start()
    try:
        try:
            [response] = await admin.describe_consumer_groups([group])
        except GroupCoordinatorNotAvailableError:
            return 0
        [described] = response.groups
        return len(described[5])  # (error, group, state, protocol type, protocol, members)
    finally:
        await admin.close()


async def _wait_for_members(kafka, group: str, n: int, *workers, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while await _members(kafka, group) != n:
        for worker in workers:
            worker.assert_running()
        assert time.monotonic() < deadline, f"the group did not reach {n} workers"
        await asyncio.sleep(0.5)


async def test_two_workers_count_exactly_through_rebalances(ops_kafka, tmp_path):
    first = streams.mixed(60, 200, 100)
    rest = streams.mixed(120, 400, 200, after=(60, 200, 100))
    await streams.publish(ops_kafka, first + first[::9])
    app_id = "ops-two"
    a = streams.WorkerProcess(ops_kafka, app_id, tmp_path / "a.log")
    b = streams.WorkerProcess(ops_kafka, app_id, tmp_path / "b.log")
    view = ChangelogView(ops_kafka, app_id)
    a.start()
    await view.start()
    try:
        await _wait_for_members(ops_kafka, ops_kafka.topic(app_id), 1, a)
        publishing = asyncio.create_task(streams.publish_slowly(ops_kafka, rest + rest[::13]))
        b.start()  # joins while events arrive
        await _wait_for_members(ops_kafka, ops_kafka.topic(app_id), 2, a, b)
        await asyncio.sleep(2)
        a.stop()  # leaves gracefully: its partitions move to b
        await publishing
        # Supervised as in production: a worker whose liveness rule ends it (faust #629, some
        # partitions never fetched after the rebalance: it exits 3) is started again.
        got, expected = await streams.settled_figures(ops_kafka, view, b, timeout=300,
                                                      supervised=True)
        print(f"worker b restarted after exits {b.restarts}")
        assert got == expected
    finally:
        await view.stop()
        a.stop()
        b.stop()
