"""The local stack itself: Kafka node, PostgreSQL cluster, provider sinks and the supervisor."""

from __future__ import annotations

import smtplib
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from devstack import paths
from devstack.kafka import KafkaNode, create_topics
from devstack.ports import PortTaken, ensure_free, free_port, wait_http_ok
from devstack.postgres import PostgresCluster
from devstack.supervisor import ProcSpec, Supervisor

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KafkaNode, PostgresCluster]]:
    """A broker and a database on free ports in a throw-away dir (jars come from the cache)."""
    root = tmp_path_factory.mktemp("devstack")
    node = KafkaNode(root / "kafka", port=free_port(), controller_port=free_port())
    pg = PostgresCluster(root / "postgres", port=free_port())
    t0 = time.monotonic()
    try:
        node.start()  # returns once the JVM is launched; the database starts meanwhile
        pg.start()
        t_pg = time.monotonic() - t0
        node.wait_ready(timeout=90)  # generous: a first-ever JVM start also records class data
        print(f"\nstack up: postgres {t_pg:.2f}s, kafka {time.monotonic() - t0:.2f}s")
        yield node, pg
    finally:
        node.stop()
        pg.destroy()  # as root the cluster may live outside the tmp dir: remove it too


async def test_create_topics_has_requested_partitions(stack: tuple[KafkaNode, PostgresCluster]):
    node, _ = stack
    await create_topics(node.bootstrap, {"devstack.orders": 4, "devstack.audit": 1})
    await create_topics(node.bootstrap, {"devstack.orders": 4})  # idempotent
    admin = AIOKafkaAdminClient(bootstrap_servers=node.bootstrap)
    await admin.start()
    try:
        described = {t["topic"]: t for t in await admin.describe_topics(["devstack.orders"])}
    finally:
        await admin.close()
    assert len(described["devstack.orders"]["partitions"]) == 4


async def test_message_round_trip(stack: tuple[KafkaNode, PostgresCluster]):
    node, _ = stack
    await create_topics(node.bootstrap, {"devstack.echo": 2})
    payload = uuid.uuid4().hex.encode()
    producer = AIOKafkaProducer(bootstrap_servers=node.bootstrap, acks="all",
                                enable_idempotence=True)
    await producer.start()
    try:
        await producer.send_and_wait("devstack.echo", payload, key=b"k")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer("devstack.echo", bootstrap_servers=node.bootstrap,
                                group_id="devstack-test", auto_offset_reset="earliest")
    await consumer.start()
    try:
        batches = await consumer.getmany(timeout_ms=10_000)
        values = [m.value for msgs in batches.values() for m in msgs]
    finally:
        await consumer.stop()
    assert payload in values


async def test_ensure_database_gives_a_role_that_can_log_in(
    stack: tuple[KafkaNode, PostgresCluster],
):
    _, pg = stack
    await pg.ensure_database("devstack_svc", "devstack_svc", "pa'ss:w@rd")
    await pg.ensure_database("devstack_svc", "devstack_svc", "pa'ss:w@rd")  # idempotent
    conn = await asyncpg.connect(pg.dsn("devstack_svc", "devstack_svc", "pa'ss:w@rd"))
    try:
        who = await conn.fetchrow("SELECT current_user AS u, current_database() AS d")
        await conn.execute("CREATE TABLE t (id int PRIMARY KEY)")  # owner may create tables
    finally:
        await conn.close()
    assert (who["u"], who["d"]) == ("devstack_svc", "devstack_svc")
    await pg.drop_database("devstack_svc")


def test_port_in_use_is_reported_with_its_env_var(tmp_path: Path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(PortTaken, match="KAFKA_PORT"):
            ensure_free(port, "Kafka", "KAFKA_PORT")
        with pytest.raises(PortTaken, match=f"port {port} .*POSTGRES_PORT"):
            PostgresCluster(tmp_path / "pg", port=port).start()


def test_sinks_keep_mail_and_sms(tmp_path: Path):
    smtp_port, http_port, sms_port = free_port(), free_port(), free_port()
    argv = [sys.executable, "-m", "devstack.sinks", "--smtp-port", str(smtp_port),
            "--http-port", str(http_port), "--sms-port", str(sms_port),
            "--store", str(tmp_path / "mail.jsonl")]
    spec = ProcSpec("sinks", argv, {"PYTHONPATH": str(paths.repo_root())},
                    ready_url=f"http://127.0.0.1:{http_port}/healthz")
    sup = Supervisor(log_dir=tmp_path / "logs")
    try:
        sup.start(spec)
        sup.wait_ready(timeout=20)
        wait_http_ok(f"http://127.0.0.1:{sms_port}/healthz", timeout=5)
        for to, code in (("siti@example.com", "111111"), ("budi@example.com", "222222")):
            msg = EmailMessage()
            msg["From"], msg["To"], msg["Subject"] = "noreply@jkn.local", to, "Kode verifikasi"
            msg.set_content(f"Kode Anda {code} — berlaku 10 menit", cte="quoted-printable")
            with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
                smtp.send_message(msg)
        sms = {"to": "+6281234567890", "text": "Kode 333333", "reference": "ref-1"}
        for _ in range(2):  # a retried send with the same reference is stored once
            resp = httpx.post(f"http://127.0.0.1:{sms_port}/v1/messages", json=sms)
            assert resp.status_code == 202 and resp.json()["status"] == "accepted"

        mails = httpx.get(f"http://127.0.0.1:{http_port}/api/messages",
                          params={"to": "budi@example.com"}).json()
        texts = httpx.get(f"http://127.0.0.1:{sms_port}/api/messages",
                          params={"to": "+6281234567890"}).json()
        assert [m["to"] for m in mails] == [["budi@example.com"]]
        assert "222222 — berlaku" in mails[0]["text"]
        assert [t["text"] for t in texts] == ["Kode 333333"]
        assert "Kode verifikasi" in httpx.get(f"http://127.0.0.1:{http_port}/").text

        first = sup.pid("sinks")
        sup.kill("sinks")  # what the fault tests do: SIGKILL, then start the same spec again
        assert sup.pid("sinks") is None
        sup.restart("sinks")
        sup.wait_ready(timeout=20)
        assert sup.pid("sinks") not in (None, first)
        kept = httpx.get(f"http://127.0.0.1:{http_port}/api/messages").json()
        assert len(kept) == 2  # mail survived the restart through the --store file
    finally:
        sup.stop_all()
        sup.stop_all()  # harmless the second time
    assert sup.pid("sinks") is None
