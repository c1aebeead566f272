"""Kafka clients built one way: idempotent acks=all producers, manual-commit consumers."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, ConsumerRecord

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


def make_consumer(kafka: KafkaSettings, group: str, topics: list[str],
                  listener: ConsumerRebalanceListener | None = None) -> AIOKafkaConsumer:
    """A group consumer that commits only what its handlers finished; `listener` hears of
    partitions given and taken away."""
    consumer = AIOKafkaConsumer(
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
        # whose records the loop has not taken yet; the broker holds that fetch until the
        # bytes asked for are there or this wait ends. At the default 500 ms a fetch naming only
        # quiet partitions held the busy ones back for up to a second (issue 17); answering at
        # the first byte instead meant a fetch per record, most of an idle consumer's CPU and a
        # good part of the broker's. So: gather up to a batch's bytes, never longer than this.
        fetch_max_wait_ms=kafka.fetch_max_wait_ms,
        fetch_min_bytes=kafka.fetch_min_bytes,
    )
    consumer.subscribe([kafka.topic(t) for t in topics], listener=listener)
    return consumer


# The event's type as a record header (the CloudEvents Kafka binding's name), so a consumer
# passes over what it does not handle without parsing the envelope.
TYPE_HEADER = "ce_type"


def event_headers(event_type: str) -> list[tuple[str, bytes]]:
    """The headers every published event carries."""
    return [(TYPE_HEADER, event_type.encode())]


def event_type(record: ConsumerRecord) -> str | None:
    """The record's event type from its header; None when it has none (then parse it)."""
    for name, value in record.headers or ():
        if name == TYPE_HEADER:
            return value.decode("utf-8", "replace")
    return None
