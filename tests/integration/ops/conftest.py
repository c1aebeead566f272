"""Fixtures of the ops worker's tests."""

import uuid

import pytest

from common.settings import KafkaSettings
from contracts import topics
from devstack.kafka import create_topics


@pytest.fixture
async def ops_kafka(kafka) -> KafkaSettings:
    """The session's broker with topics of this test's own (a prefix per test), so that a
    worker reads only the events its test published: the recount is of those, and a worker
    on a shared host does not spend minutes on other tests' streams."""
    own = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers,
                        topic_prefix=f"{kafka.topic_prefix}{uuid.uuid4().hex[:8]}.")
    await create_topics(own.bootstrap_servers,
                        {own.topic(t): n for t, n in topics.PARTITIONS.items()})
    return own
