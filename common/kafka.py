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
    )
