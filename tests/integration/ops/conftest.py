"""Fixtures of the ops worker's tests."""

import pytest

from contracts import topics
from devstack.kafka import create_topics


@pytest.fixture
async def source_topics(kafka) -> None:
    """The services' topics the worker reads, with their partition counts."""
    await create_topics(kafka.bootstrap_servers,
                        {kafka.topic(t): n for t, n in topics.PARTITIONS.items()})
