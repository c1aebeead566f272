"""Creating the worker's own topics before faust starts: a changelog that faust creates on its
first start is not yet in its metadata when the first event arrives, and the agent crashes on
faust's partition check (PartitionsMismatch, seen here with Kafka 4.4)."""

from __future__ import annotations

import asyncio
import time

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code


async def ensure_topics(bootstrap: str, wanted: dict[str, int], timeout: float = 30.0) -> None:
    """Create the missing topics (replication 1 here; changelogs compacted, as faust makes
    them) and wait until the broker's metadata lists every partition of each."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        resp = await admin.create_topics(
            [NewTopic(name, n, 1, topic_configs=(
                {"cleanup.policy": "compact"} if name.endswith("-changelog") else {}))
             for name, n in wanted.items()])
        for topic, code, *_ in resp.topic_errors:
            if code and for_code(code) is not TopicAlreadyExistsError:
                raise for_code(code)(f"creating topic {topic} failed")
    finally:
        await admin.close()
    probe = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await probe.start()
    try:
        deadline = time.monotonic() + timeout
        while any(len(probe.partitions_for_topic(t) or ()) < n for t, n in wanted.items()):
            if time.monotonic() > deadline:
                raise TimeoutError("the ops worker's topics did not appear in time")
            await probe._client.force_metadata_update()
            await asyncio.sleep(0.2)
    finally:
        await probe.stop()
