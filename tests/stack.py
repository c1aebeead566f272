"""The broker and database the integration and end-to-end tests run on.

Order of choice: endpoints given in the environment (JKN_TEST_KAFKA_BOOTSTRAP and an admin
JKN_TEST_POSTGRES_DSN), else Docker through testcontainers when a daemon answers, else the
local stack (Kafka jars and Debian's PostgreSQL) on free ports in a temporary directory.
Every run gets fresh databases (a random suffix) and fresh topics (a random prefix).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg

from devstack import paths
from devstack.browser import ensure_chromium_installed
from devstack.edge import ensure_haproxy_installed
from devstack.kafka import KafkaNode
from devstack.ports import free_port
from devstack.postgres import PostgresCluster


class ServerPostgres:
    """A PostgreSQL server reached through an admin DSN (given, or a container's)."""

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = admin_dsn
        parts = urlsplit(admin_dsn)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 5432

    def dsn(self, db: str = "postgres", user: str = "postgres", password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql://{auth}@{self.host}:{self.port}/{db}"

    async def ensure_database(self, name: str, owner: str, password: str) -> None:
        conn = await asyncpg.connect(self.admin_dsn)
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", owner):
                await conn.execute(f"CREATE ROLE \"{owner}\" LOGIN PASSWORD '{password}'")
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
        finally:
            await conn.close()


@dataclass
class Stack:
    bootstrap: str
    pg: PostgresCluster | ServerPostgres
    how: str
    closers: list[Callable[[], None]] = field(default_factory=list)
    kafka: KafkaNode | None = None  # the local broker, which fault tests may stop and start

    def close(self) -> None:
        for close in reversed(self.closers):
            close()


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _from_docker() -> Stack:
    from testcontainers.core.container import DockerContainer
    from testcontainers.core.waiting_utils import wait_for_logs
    from testcontainers.postgres import PostgresContainer

    pg = PostgresContainer("postgres:15", driver=None).start()
    port = free_port()
    kafka = (
        DockerContainer("apache/kafka:4.4.0")
        .with_bind_ports(9092, port)
        .with_env("KAFKA_NODE_ID", "1")
        .with_env("KAFKA_PROCESS_ROLES", "broker,controller")
        .with_env("KAFKA_LISTENERS", "PLAINTEXT://:9092,CONTROLLER://:9093")
        .with_env("KAFKA_ADVERTISED_LISTENERS", f"PLAINTEXT://127.0.0.1:{port}")
        .with_env("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
        .with_env("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
        .with_env("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
        .with_env("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
        .with_env("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .with_env("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
        .start()
    )
    wait_for_logs(kafka, "Kafka Server started", timeout=90)
    stack = Stack(f"127.0.0.1:{port}", ServerPostgres(pg.get_connection_url()), "docker")
    stack.closers += [pg.stop, kafka.stop]
    return stack


def _local(tmp: Path) -> Stack:
    tmp.chmod(0o755)  # the postgres user must reach its cluster directory
    pg = PostgresCluster(tmp / "pg", free_port())
    kafka = KafkaNode(tmp / "kafka", free_port(), free_port(), paths.cache_dir())
    pg.start()
    kafka.start()
    stack = Stack(kafka.bootstrap, pg, "local", kafka=kafka)
    stack.closers += [pg.destroy, kafka.stop]  # destroy: the cluster may live outside tmp
    kafka.wait_ready(90)
    return stack


def start(tmp: Path) -> Stack:
    """Start (or find) the broker and the database for this test session; the end-to-end
    platform's edge needs HAProxy and its dashboard test Chromium, installed here like
    PostgreSQL when missing."""
    ensure_haproxy_installed()
    ensure_chromium_installed()
    given_kafka = os.environ.get("JKN_TEST_KAFKA_BOOTSTRAP")
    given_pg = os.environ.get("JKN_TEST_POSTGRES_DSN")
    if given_kafka and given_pg:
        return Stack(given_kafka, ServerPostgres(given_pg), "environment")
    if _docker_answers():
        return _from_docker()
    return _local(tmp)
