"""The worker's progress as the broker sees it: per partition, the group's committed offset and
the partition's end. A stalled consumer cannot be trusted to report its own position (faust
#523: its fetcher stops, and the high-water mark it caches stops with it), and a hung agent
leaves the fetch position running ahead of what it processed; the committed offset moves only
when events are processed and committed."""

from __future__ import annotations

from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient


class BrokerProgress:
    def __init__(self, bootstrap: str, group: str) -> None:
        self.bootstrap, self.group = bootstrap, group
        self._admin: AIOKafkaAdminClient | None = None
        self._ends: AIOKafkaConsumer | None = None  # group-less: only asks for end offsets

    async def offsets(self, partitions: Iterable[tuple[str, int]]
                      ) -> dict[TopicPartition, tuple[int, int]]:
        """partition -> (the group's committed offset, the partition's end); a partition the
        group never committed is at its log start (the worker reads from the earliest)."""
        tps = [TopicPartition(topic, p) for topic, p in partitions]
        if not tps:
            return {}
        if self._admin is None or self._ends is None:
            self._admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap,
                                              client_id="ops-progress")
            self._ends = AIOKafkaConsumer(bootstrap_servers=self.bootstrap,
                                          client_id="ops-progress", enable_auto_commit=False)
            await self._admin.start()
            await self._ends.start()
        try:
            committed = await self._admin.list_consumer_group_offsets(self.group, partitions=tps)
            ends = await self._ends.end_offsets(tps)
            starts = await self._ends.beginning_offsets(tps)
        except Exception:
            await self.close()  # reconnect from scratch next time
            raise
        return {tp: ((m.offset if (m := committed.get(tp)) is not None and m.offset >= 0
                      else starts[tp]), ends[tp]) for tp in tps}

    async def close(self) -> None:
        admin, ends, self._admin, self._ends = self._admin, self._ends, None, None
        if admin is not None:
            await admin.close()
        if ends is not None:
            await ends.stop()
