"""The ops worker's replacement of faust's exactly-once commit (services/ops/faust_fixes.py),
driven with stand-ins for faust's transaction manager and aiokafka's transactional producers:
no broker, no clock."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from faust.transport.consumer import TransactionManager
from faust.transport.producer import ProducerBuffer
from faust.types import TP

from services.ops import faust_fixes


class Transaction:
    """A transactional producer's part of the story: what it was given, in order."""

    def __init__(self, tid: str, journal: list, open_: bool = True) -> None:
        self.tid, self.journal, self.open = tid, journal, open_
        self._txn_manager = SimpleNamespace(is_in_transaction=lambda: self.open)

    async def send_offsets_to_transaction(self, offsets, group_id) -> None:
        self.journal.append(("offsets", self.tid, dict(offsets)))

    async def commit_transaction(self) -> None:
        await asyncio.sleep(0)  # other tasks run while the broker answers
        self.journal.append(("commit", self.tid))
        self.open = False

    async def begin_transaction(self) -> None:
        self.open = True


class Write:
    """A table changelog write as faust buffers it: publishing it puts it in a transaction."""

    def __init__(self, name: str, journal: list) -> None:
        async def publish_message(fut, wait=False):
            journal.append(("write", name))
        self.message = SimpleNamespace(channel=SimpleNamespace(publish_message=publish_message))


def manager(journal: list, tids: list[str], open_: bool = True):
    buffer = ProducerBuffer()
    buffer.app = SimpleNamespace(conf=SimpleNamespace(producer_threaded=False))
    producer = SimpleNamespace(
        buffer=buffer,
        _transaction_producers={t: Transaction(t, journal, open_) for t in tids},
        _trn_locks={t: asyncio.Lock() for t in tids})
    app = SimpleNamespace(conf=SimpleNamespace(id="ops"),
                          assignor=SimpleNamespace(group_for_topic=lambda topic: 2))
    tm = SimpleNamespace(producer=producer, app=app)
    return tm, buffer


async def sending(buffer: ProducerBuffer) -> None:
    """faust's buffer loop (ProducerBuffer._handle_pending): one write at a time, in order."""
    while True:
        await buffer._send_pending(await buffer.pending.get())


async def test_the_commit_waits_for_earlier_writes_and_holds_later_ones() -> None:
    journal: list = []
    tm, buffer = manager(journal, ["ops-2-0"])
    buffer.put(Write("before", journal))
    sender = asyncio.create_task(sending(buffer))
    committing = asyncio.create_task(
        TransactionManager.commit(tm, {TP("t", 0): 5}))
    await asyncio.sleep(0)
    buffer.put(Write("during", journal))  # an event processed while the commit runs
    await committing
    await asyncio.sleep(0)
    sender.cancel()
    assert journal == [("write", "before"), ("offsets", "ops-2-0", {TP("t", 0): 5}),
                       ("commit", "ops-2-0"), ("write", "during")]


async def test_every_open_transaction_is_committed_not_only_those_with_offsets() -> None:
    journal: list = []
    tm, _ = manager(journal, ["ops-2-0", "ops-2-1"])
    await TransactionManager.commit(tm, {TP("t", 1): 9})
    assert ("commit", "ops-2-0") in journal  # a fact or write with no offset of its own
    assert ("offsets", "ops-2-1", {TP("t", 1): 9}) in journal
    assert ("commit", "ops-2-1") in journal


async def test_sends_outside_the_transactions_are_acknowledged_first() -> None:
    journal: list = []
    tm, _ = manager(journal, ["ops-2-0"])
    acknowledged = asyncio.get_running_loop().create_future()
    faust_fixes.deliver_before_commit(acknowledged)
    committing = asyncio.create_task(TransactionManager.commit(tm, {TP("t", 0): 1}))
    await asyncio.sleep(0)
    assert journal == []
    acknowledged.set_result(None)
    await committing
    assert journal[-1] == ("commit", "ops-2-0")


@pytest.fixture
def exits(monkeypatch):
    """os._exit raises SystemExit instead, so the test sees the exit code."""
    def exit_(code: int) -> None:
        raise SystemExit(code)
    monkeypatch.setattr(faust_fixes.os, "_exit", exit_)


async def test_a_failed_commit_exits(monkeypatch, exits) -> None:
    tm, _ = manager([], ["ops-2-0"])

    async def refused(self) -> None:
        raise RuntimeError("the coordinator refused")

    monkeypatch.setattr(Transaction, "commit_transaction", refused)
    with pytest.raises(SystemExit) as exited:
        await TransactionManager.commit(tm, {TP("t", 0): 1})
    assert exited.value.code == faust_fixes.COMMIT_FAILED_EXIT


async def test_offsets_of_a_partition_without_a_producer_are_a_failure(exits) -> None:
    tm, _ = manager([], [])
    with pytest.raises(SystemExit):
        await TransactionManager.commit(tm, {TP("t", 3): 1})
