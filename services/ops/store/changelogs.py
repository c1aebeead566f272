"""The ops service's store: the figure tables as the worker's faust tables hold them, read from
their changelog topics (committed transactions only). The dashboard's state lives in Kafka, not
PostgreSQL, so the API needs neither faust nor the worker's memory and any number of API
processes agree."""

from __future__ import annotations

import json

from aiokafka import AIOKafkaConsumer, TopicPartition

from common.settings import KafkaSettings
from services.ops.store import tables as t


class ChangelogView:
    """The latest committed value of every key of the figure tables; `catch_up` reads to the
    end offsets of the moment it is called."""

    def __init__(self, kafka: KafkaSettings, app_id: str) -> None:
        self._topics = {t.changelog_topic(kafka.topic(app_id), name): name
                        for name in t.FIGURE_TABLES}
        owned = t.owned_topics(app_id, kafka.topic_prefix)
        self._partitions = {topic: owned[topic] for topic in self._topics}
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=kafka.bootstrap_servers, enable_auto_commit=False,
            isolation_level="read_committed", auto_offset_reset="earliest")
        self.values: dict[str, dict[str, int]] = {name: {} for name in t.FIGURE_TABLES}
        self._assigned = False

    async def start(self) -> None:
        await self._consumer.start()

    async def stop(self) -> None:
        await self._consumer.stop()

    @property
    def ready(self) -> bool:
        """Whether the changelogs exist (the worker creates them on its first start)."""
        return self._assigned

    async def _assign(self) -> bool:
        # Fresh metadata of every topic (no subscription names them): aiokafka has no
        # public call that refreshes what partitions_for_topic answers.
        await self._consumer._client.force_metadata_update()
        for topic, n in self._partitions.items():
            if len(self._consumer.partitions_for_topic(topic) or ()) < n:
                return False
        self._consumer.assign([TopicPartition(topic, p) for topic, n in self._partitions.items()
                               for p in range(n)])
        await self._consumer.seek_to_beginning()
        self._assigned = True
        return True

    async def catch_up(self) -> None:
        if not self._assigned and not await self._assign():
            return
        tps = self._consumer.assignment()
        ends = await self._consumer.end_offsets(list(tps))
        while await behind(self._consumer, ends):
            batch = await self._consumer.getmany(timeout_ms=200, max_records=10_000)
            for tp, records in batch.items():
                table = self.values[self._topics[tp.topic]]
                for r in records:
                    key = json.loads(r.key)
                    if r.value is None:
                        table.pop(key, None)
                    else:
                        table[key] = json.loads(r.value)


async def behind(consumer: AIOKafkaConsumer, ends: dict[TopicPartition, int]) -> bool:
    """Whether the consumer has yet to reach any of these end offsets."""
    for tp, end in ends.items():
        if await consumer.position(tp) < end:
            return True
    return False
