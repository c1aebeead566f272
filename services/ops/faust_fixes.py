"""A fix for faust-streaming 0.15.3's exactly-once commit, applied by the worker on import.

With processing_guarantee="exactly_once", faust's TransactionManager.commit sends the consumed
offsets and commits each partition's transaction without first draining the producer buffer
that table changelog writes go through (`send_soon`); only the at-least-once path flushes it
(faust/transport/consumer.py, Consumer._commit_offsets). A changelog write still buffered at
commit time is then produced after its offsets were committed: on a crash it is lost for good.
Flushing first puts every buffered change in the transaction that commits its offsets. (Not the
whole story: with it, test_worker still ended 1-2 participants short in 1 of 2 runs; see the
closing note of issue 19's dashboard branch.)
"""

from __future__ import annotations

from faust.transport.consumer import TransactionManager

_commit = TransactionManager.commit


async def _commit_after_flush(self, offsets, start_new_transaction: bool = True) -> bool:
    await self.producer.buffer.flush()
    return await _commit(self, offsets, start_new_transaction=start_new_transaction)


TransactionManager.commit = _commit_after_flush
