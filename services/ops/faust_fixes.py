"""A commit for faust-streaming 0.15.3's exactly-once processing that cannot leave the in-memory
tables ahead of the committed changelogs; applied by the worker on import.

Where faust's own commit lost counts (faust/transport/consumer.py TransactionManager.commit,
faust/transport/producer.py ProducerBuffer), seen in this branch's tests with no rebalance
after the first assignment:
- table changelog writes go through the producer buffer (`send_soon`), and the commit does
  not drain it; its `flush` gives up after 0.1 s without a send, which a loaded host exceeds
  (the sends queue behind the commit's own per-transaction locks). A write whose event's
  offset was committed then landed in the next transaction;
- a transaction is committed only together with consumed offsets of its partition, so that
  next transaction stayed open when its partition had no later event, until the broker aborted
  it at transaction.timeout.ms (60 s): the memory table kept the write, the changelog lost it,
  and nothing replays the event;
- a failed transaction commit was logged and processing went on.

This commit (1) holds every buffered send put after the moment it starts: an agent's table
writes for one event are put in one synchronous step (no await between them), so that moment
lies between events and no event's writes straddle two transactions; (2) waits until every
write put before it is in its transaction; (3) commits every open transaction, with its
partition's offsets where there are any; (4) releases the held sends. Before (3) it also waits
for the sends an agent made outside the transactions (`deliver_before_commit`). If (3) fails
the memory may be ahead of the changelog, so the process exits (5) and its restart rebuilds
the tables from the committed changelogs (exactly-once consumers read only committed records).

Recovery: with exactly-once, faust reads a changelog partition up to the consumer's cached
last stable offset, which aiokafka knows only after a fetch of that partition; a partition
just assigned answers None, read as "empty", so its table was recovered short (or faust
raised ConsistencyError when it had held the partition before). The high-water marks are
asked of the broker instead (ListOffsets at read_committed answers the last stable offset).

Recovery at a rebalance still ended short: faust takes those ends once, at the recovery's
start, and with transactions its recovery always ends through the "Aborted tx until highwater"
rule (the last offset before the end is a commit marker no record reaches). In the two-worker
test the committed changelogs' ends had moved 20-46 records past them by the time the
recovery completed (commits landing while it ran), and the tables it left held values older
than the committed ones (61-66 keys on 9 partitions in 3 of 31 runs, 4-26 in 9 more; all on
partitions the worker kept across the rebalance, whose open transaction was committed while
the recovery re-read them to the old end), which the next counts then overwrote. So on
completion, before the streams resume, the worker commits any kept partition's open writes,
reads every active changelog partition from the start to its committed end (read again until
the ends stay put), puts those values in the tables, and marks the partitions read to there
so that faust applies no older queued record.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace

from aiokafka import AIOKafkaConsumer, TopicPartition
from faust.tables.recovery import Recovery
from faust.transport.consumer import TransactionManager
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread
from faust.transport.producer import ProducerBuffer
from faust.types import TP

log = logging.getLogger("ops.worker")

COMMIT_FAILED_EXIT = 5


@dataclass
class _Gate:
    """Counts of the buffer's writes put and sent (the buffer sends them one at a time, in
    order), and the write number after which sends wait while a commit runs."""

    put: int = 0
    sent: int = 0
    hold_after: int | None = None
    released: asyncio.Event = field(default_factory=asyncio.Event)
    progressed: asyncio.Event = field(default_factory=asyncio.Event)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _gate(buffer: ProducerBuffer) -> _Gate:
    gate = buffer.__dict__.get("_ops_gate")
    if gate is None:
        gate = buffer.__dict__["_ops_gate"] = _Gate()
    return gate


_undelivered: list[asyncio.Future] = []


def deliver_before_commit(sent: asyncio.Future) -> None:
    """Make the next commit wait for this send's acknowledgement (a send outside the
    transactions, for an event whose offset that commit may include)."""
    _undelivered.append(sent)


_put = ProducerBuffer.put
_send_pending = ProducerBuffer._send_pending


def _counted_put(self: ProducerBuffer, fut) -> None:
    _gate(self).put += 1
    _put(self, fut)


async def _held_send(self: ProducerBuffer, fut) -> None:
    gate = _gate(self)
    while gate.hold_after is not None and gate.sent + 1 > gate.hold_after:
        await gate.released.wait()
    await _send_pending(self, fut)
    gate.sent += 1
    gate.progressed.set()


async def _commit_between_events(self: TransactionManager, offsets: Mapping[TP, int],
                                 start_new_transaction: bool = True) -> bool:
    gate = _gate(self.producer.buffer)
    async with gate.lock:
        gate.hold_after = gate.put
        gate.released.clear()
        try:
            while gate.sent < gate.hold_after:
                gate.progressed.clear()
                await gate.progressed.wait()
            sent, _undelivered[:] = list(_undelivered), []
            await asyncio.gather(*sent)
            await _commit_every_transaction(self, offsets, start_new_transaction)
        except Exception as exc:
            log.error("committing the worker's transactions failed (%s); exiting so the "
                      "tables are rebuilt from the committed changelogs", type(exc).__name__)
            os._exit(COMMIT_FAILED_EXIT)
        finally:
            gate.hold_after = None
            gate.released.set()
    return True


async def _commit_every_transaction(self: TransactionManager, offsets: Mapping[TP, int],
                                    start_new_transaction: bool) -> None:
    producer, group_id = self.producer, self.app.conf.id
    by_transaction: dict[str, dict[TP, int]] = defaultdict(dict)
    for tp, offset in offsets.items():
        group = self.app.assignor.group_for_topic(tp.topic)
        by_transaction[f"{group_id}-{group}-{tp.partition}"][tp] = offset
    unknown = set(by_transaction) - set(producer._transaction_producers)
    if unknown:  # faust would log a warning and mark the offsets committed anyway
        raise RuntimeError(f"offsets for {len(unknown)} partitions without a producer")

    async def commit(transactional_id: str, txn) -> None:
        async with producer._trn_locks[transactional_id]:
            if transactional_id in by_transaction:
                await txn.send_offsets_to_transaction(by_transaction[transactional_id],
                                                      group_id)
            if txn._txn_manager.is_in_transaction():
                await txn.commit_transaction()
            if start_new_transaction:
                await txn.begin_transaction()

    # Each partition's transaction is independent of the others': commit them at once (one
    # after another took seconds with 19 of them on a loaded host).
    await asyncio.gather(*(commit(tid, txn)
                           for tid, txn in list(producer._transaction_producers.items())))


async def _committed_ends(self: AIOKafkaConsumerThread, partitions) -> Mapping[TP, int]:
    return await self._ensure_consumer().end_offsets(partitions)


ProducerBuffer.put = _counted_put
ProducerBuffer._send_pending = _held_send
TransactionManager.commit = _commit_between_events
AIOKafkaConsumerThread._highwaters = _committed_ends


# -- Recovery: the active tables rebuilt from the committed changelogs ------------------------

_recovery_completed = Recovery.on_recovery_completed
REBUILD_TIMEOUT_SECONDS = 60.0


async def _completed_from_committed(self: Recovery, generation_id: int = 0) -> None:
    """faust's recovery completion, first making the memory tables of the active changelog
    partitions equal to their committed changelogs (see the module's docstring)."""
    app = self.app
    if app.consumer_generation_id == generation_id and self.active_tps:
        self.flush_buffers()  # records faust's recovery queued but has not applied yet
        if app.in_transaction and _open_writes(app.consumer.transactions.producer):
            # A kept partition's writes not yet committed: in the changelog before it is read.
            await _commit_between_events(app.consumer.transactions, {})
        await _rebuild_actives(self)
    await _recovery_completed(self, generation_id)


def _open_writes(producer) -> bool:
    gate = _gate(producer.buffer)
    return gate.put > gate.sent or any(
        not txn._txn_manager.is_empty_transaction()
        for txn in producer._transaction_producers.values())


async def _rebuild_actives(self: Recovery) -> None:
    tps = {tp: self.tp_to_table[tp] for tp in self.active_tps if tp in self.tp_to_table}
    url = self.app.conf.broker[0]
    consumer = AIOKafkaConsumer(bootstrap_servers=f"{url.host}:{url.port or 9092}",
                                enable_auto_commit=False, isolation_level="read_committed")
    records: dict[TopicPartition, list] = defaultdict(list)
    loop = asyncio.get_running_loop()
    puts0 = _gate(self.app.producer.buffer).put
    await consumer.start()
    try:
        parts = [TopicPartition(tp.topic, tp.partition) for tp in tps]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        deadline = loop.time() + REBUILD_TIMEOUT_SECONDS
        ends, read = await consumer.end_offsets(parts), False
        while not read or ends != (now := await consumer.end_offsets(parts)):
            if read:  # an end moved while it was read: read on to the new one
                log.warning("recovery: changelog ends moved during the rebuild: %s (this "
                            "worker's table writes meanwhile: %d)",
                            {str(p): (ends[p], now[p]) for p in parts if now[p] != ends[p]},
                            _gate(self.app.producer.buffer).put - puts0)
                ends = now
            while any([await consumer.position(p) < end for p, end in ends.items()]):
                if loop.time() > deadline:
                    log.error("recovery: the committed changelogs were not read to their "
                              "ends in %ss; the tables keep faust's recovery",
                              REBUILD_TIMEOUT_SECONDS)
                    return
                for p, batch in (await consumer.getmany(timeout_ms=200,
                                                        max_records=10_000)).items():
                    records[p] += batch
            read = True
    finally:
        await consumer.stop()
    for tp, table in tps.items():
        p = TopicPartition(tp.topic, tp.partition)
        events = [_ChangelogRecord(r, tp.partition) for r in records[p]]
        committed = {table._to_key(e.key): e.value for e in events}
        memory = table.data.data
        wrong = {k: (memory.get(k), v) for k, v in committed.items() if memory.get(k) != v}
        if wrong:
            log.warning("recovery: %s had %d keys unlike its committed changelog (faust read "
                        "to offset %s of highwater %s, committed end %s), e.g. %s: corrected",
                        tp, len(wrong), self.active_offsets.get(tp),
                        self.active_highwaters.get(tp), ends[p], dict(list(wrong.items())[:2]))
        table.apply_changelog_batch(events)
        # faust skips a queued record at or below this offset: none applies late over live counts.
        self.active_offsets[tp] = max(self.active_offsets.get(tp) or -1, ends[p] - 1)


class _ChangelogRecord:
    """A committed changelog record in the shape faust's tables apply (keys and values are JSON,
    faust's default for untyped tables)."""

    def __init__(self, record, partition: int) -> None:
        self.key = json.loads(record.key)
        self.value = None if record.value is None else json.loads(record.value)
        self.message = SimpleNamespace(value=record.value, partition=partition)


Recovery.on_recovery_completed = _completed_from_committed
