"""Replays a consumer group's dead letters onto the topics they came from.

`python -m common.dlq GROUP` (after fixing what made the handler fail). Each letter is replayed
once (the replayer commits its own offsets); handlers deduplicate by event id, so replaying an
event that was processed meanwhile does nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import json

from aiokafka import AIOKafkaConsumer, TopicPartition

from common.kafka import make_producer
from common.settings import KafkaSettings
from contracts.topics import dead_letter


async def replay(kafka: KafkaSettings, group: str) -> int:
    """Republish the letters of `group` not replayed before; returns how many.

    It stops at the end it saw when it started: a letter that fails again comes back as a new
    letter, for the next replay, instead of looping forever.
    """
    topic = kafka.topic(dead_letter(group))
    consumer = AIOKafkaConsumer(
        bootstrap_servers=kafka.bootstrap_servers, group_id=kafka.topic(f"{group}.dlq-replay"),
        enable_auto_commit=False, auto_offset_reset="earliest")
    producer = make_producer(kafka, f"{group}-dlq-replay")
    await consumer.start()
    await producer.start()
    replayed = 0
    try:
        tps = [TopicPartition(topic, p) for p in sorted(await producer.partitions_for(topic))]
        consumer.assign(tps)
        end = await consumer.end_offsets(tps)
        while any([await consumer.position(tp) < end[tp] for tp in tps]):
            batches = await consumer.getmany(*tps, timeout_ms=1000)
            for tp, records in batches.items():
                for r in (r for r in records if r.offset < end[tp]):
                    letter = json.loads(r.value)
                    await producer.send_and_wait(letter["topic"], letter["value"].encode(),
                                                 key=r.key)
                    replayed += 1
                await consumer.commit({tp: min(records[-1].offset + 1, end[tp])})
        return replayed
    finally:
        await consumer.stop()
        await producer.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m common.dlq")
    parser.add_argument("group", help="the consumer group whose dead letters to replay")
    args = parser.parse_args()
    count = asyncio.run(replay(KafkaSettings(), args.group))
    print(f"replayed {count} dead letters of {args.group}")


if __name__ == "__main__":
    main()
