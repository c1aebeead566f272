"""Consumer lag per group and partition, read from the broker (not from the consumer itself).

A stalled or stopped consumer cannot report its own lag, which is when lag matters most, so
a sampler asks the broker: the partition's end offset minus the group's committed offset (the
log start when the group never committed, since new groups read from the earliest record).
Every worker instance of a service reports its groups' lag: aggregate with max(), not sum().
"""

from __future__ import annotations

import logging

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from prometheus_client import Gauge

from common.settings import KafkaSettings

log = logging.getLogger(__name__)

LAG = Gauge(
    "kafka_consumer_lag",
    "Records on the partition the consumer group has not committed yet",
    ["group", "topic", "partition"],
)


class GroupOffsets:
    """Consumer groups' committed offsets and their partitions' ends, asked of the broker (an
    admin client and a group-less consumer, made on first use and rebuilt after a failure)."""

    def __init__(self, bootstrap_servers: str, client_id: str) -> None:
        self.bootstrap_servers, self.client_id = bootstrap_servers, client_id
        self._admin: AIOKafkaAdminClient | None = None
        self._offsets: AIOKafkaConsumer | None = None  # group-less: only reads end offsets

    async def _clients(self) -> tuple[AIOKafkaAdminClient, AIOKafkaConsumer]:
        if self._admin is None or self._offsets is None:
            admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap_servers,
                                        client_id=self.client_id)
            offsets = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers,
                                       client_id=self.client_id, enable_auto_commit=False)
            await admin.start()
            await offsets.start()
            self._admin, self._offsets = admin, offsets
        return self._admin, self._offsets

    async def partitions(self, topics: list[str]) -> list[TopicPartition]:
        """Every partition of these (physical) topics that the broker knows."""
        try:
            admin, _ = await self._clients()
            return [TopicPartition(t["topic"], p["partition"])
                    for t in await admin.describe_topics(topics) if not t["error_code"]
                    for p in t["partitions"]]
        except Exception:
            await self.close()  # reconnect from scratch next time
            raise

    async def done_and_ends(self, group: str, partitions: list[TopicPartition]
                            ) -> dict[TopicPartition, tuple[int, int]]:
        """partition -> (what `group` committed, the partition's end); a partition the group
        never committed counts from its log start (new groups read from the earliest)."""
        if not partitions:
            return {}
        try:
            admin, offsets = await self._clients()
            committed = await admin.list_consumer_group_offsets(group, partitions=partitions)
            ends = await offsets.end_offsets(partitions)
            starts = await offsets.beginning_offsets(partitions)
        except Exception:
            await self.close()  # reconnect from scratch next time
            raise
        return {tp: ((m.offset if (m := committed.get(tp)) is not None and m.offset >= 0
                      else starts[tp]), ends[tp]) for tp in partitions}

    async def close(self) -> None:
        admin, offsets, self._admin, self._offsets = self._admin, self._offsets, None, None
        for client in (admin, offsets):
            if client is not None:
                try:
                    await (client.close() if client is admin else client.stop())
                except Exception:
                    log.debug("closing a group offsets client failed", exc_info=True)


class LagSampler:
    """Samples `kafka_consumer_lag` for some groups (logical name -> logical topics)."""

    def __init__(
        self, kafka: KafkaSettings, groups: dict[str, list[str]], *, interval: float = 15.0
    ) -> None:
        self.kafka, self.groups, self.interval = kafka, groups, interval
        self._broker = GroupOffsets(kafka.bootstrap_servers, "lag-sampler")

    async def sample(self) -> dict[tuple[str, str, int], int]:
        """Read every group's lag once, set the gauges, and return them."""
        physical = {self.kafka.topic(t): t for ts in self.groups.values() for t in ts}
        partitions = await self._broker.partitions(list(physical))
        out: dict[tuple[str, str, int], int] = {}
        for group, group_topics in self.groups.items():
            wanted = {self.kafka.topic(t) for t in group_topics}
            offsets = await self._broker.done_and_ends(
                self.kafka.topic(group), [tp for tp in partitions if tp.topic in wanted])
            for tp, (done, end) in offsets.items():
                lag = max(end - done, 0)
                out[(group, physical[tp.topic], tp.partition)] = lag
                LAG.labels(group, physical[tp.topic], str(tp.partition)).set(lag)
        return out

    async def close(self) -> None:
        await self._broker.close()
