"""Kafka clients built one way: idempotent acks=all producers, manual-commit consumers."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from common.settings import KafkaSettings


def make_producer(kafka: KafkaSettings, client_id: str) -> AIOKafkaProducer:
    """A producer that never loses an acknowledged record nor writes one twice on retry."""
    return AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers,
        client_id=client_id,
        acks="all",
        enable_idempotence=True,
        linger_ms=2,  # a tiny batch window: the relay sends bursts, the happy path stays fast
        request_timeout_ms=15000,
    )


def make_consumer(kafka: KafkaSettings, group: str, topics: list[str]) -> AIOKafkaConsumer:
    """A group consumer that commits only what its handlers finished."""
    return AIOKafkaConsumer(
        *(kafka.topic(t) for t in topics),
        bootstrap_servers=kafka.bootstrap_servers,
        group_id=kafka.topic(group),  # the prefix namespaces groups too (tests share brokers)
        client_id=group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",  # a new group reads history: nothing published is skipped
        isolation_level="read_committed",
        max_poll_interval_ms=300000,
        session_timeout_ms=10000,
        heartbeat_interval_ms=3000,
        # aiokafka keeps one fetch in flight per broker and leaves out of it every partition
        # whose records the loop has not taken yet; the broker holds that fetch until one of
        # the partitions it names has data or this wait ends. When the busy partitions are all
        # still buffered, the fetch names only quiet ones (a topic the group reads that has no
        # traffic) and waits the whole time while the busy ones are not fetched: at the default
        # 500 ms an event waited up to a second (two such waits), issue 17. 50 ms bounds that
        # wait; an idle consumer pays 20 empty fetches a second for it.
        fetch_max_wait_ms=50,
    )
