"""Raw ceilings on the same broker and database, in the same run: what the platform could get
at best from its infrastructure on this machine.

- Kafka: an aiokafka producer (acks=all, idempotent, no linger) sends ~470-byte records at a
  steady 200/s for ~10 s to a one-partition topic; a consumer (getmany) reads them. Round trip =
  consumed - sent, p50/p95/p99 in ms.
- PostgreSQL: single-row INSERTs (autocommit, so one fsynced commit each; fsync=on) into a
  fresh table of a fresh database, with 1 and with 16 connections in flight, ~5 s each.
"""

from __future__ import annotations

import asyncio
import os
import struct
import threading
import time
import uuid
from typing import Any

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from bench import summary
from devstack.kafka import create_topics

PAYLOAD_BYTES = 470


async def kafka_round_trip(bootstrap: str, topic: str, rate: float = 200, seconds: float = 10,
                           ) -> dict[str, Any]:
    await create_topics(bootstrap, {topic: 1})
    tp = TopicPartition(topic, 0)
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                                fetch_max_wait_ms=500)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all",
                                enable_idempotence=True, linger_ms=0)
    await consumer.start()
    await producer.start()
    n = int(rate * seconds)
    latencies: list[float] = []
    got = 0
    try:
        consumer.assign([tp])
        await consumer.seek_to_end(tp)
        await consumer.position(tp)
        # Warm the connections (metadata, first fetch) outside the measurement.
        await producer.send_and_wait(topic, b"warm-up")
        warm = await consumer.getmany(tp, timeout_ms=5000)
        if not warm:
            raise RuntimeError("Kafka warm-up record never came back")

        async def consume() -> None:
            nonlocal got
            while got < n:
                batches = await consumer.getmany(tp, timeout_ms=200, max_records=500)
                now = time.perf_counter()
                for records in batches.values():
                    for r in records:
                        sent = struct.unpack_from("!d", r.value)[0]
                        latencies.append((now - sent) * 1000)
                        got += 1

        reader = asyncio.create_task(consume())
        filler = os.urandom(PAYLOAD_BYTES - 8)
        acks = []
        t0 = time.perf_counter() + 0.05
        for i in range(n):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            acks.append(await producer.send(
                topic, struct.pack("!d", time.perf_counter()) + filler, key=str(i).encode()))
        sent_in = time.perf_counter() - t0
        await asyncio.gather(*acks)
        try:
            await asyncio.wait_for(reader, 15)
        except TimeoutError:
            pass
    finally:
        await producer.stop()
        await consumer.stop()
    return {"rate_target": rate, "messages": n, "received": got,
            "achieved_rate": round(n / sent_in, 1), "payload_bytes": PAYLOAD_BYTES,
            "producer": "acks=all, idempotent, linger 0", "round_trip_ms": summary(latencies)}


async def pg_insert_rate(db_dsn: str, in_flight: int, seconds: float = 5,
                         ) -> dict[str, Any]:
    """Single-row INSERTs, each its own commit, from `in_flight` connections for `seconds`."""
    conns = [await asyncpg.connect(db_dsn) for _ in range(in_flight)]
    fsync = await conns[0].fetchval("SHOW fsync")
    sync_commit = await conns[0].fetchval("SHOW synchronous_commit")
    latencies: list[float] = []
    done = 0
    stop_at = time.perf_counter() + seconds

    async def worker(conn: asyncpg.Connection) -> None:
        nonlocal done
        stmt = await conn.prepare(
            "INSERT INTO raw_insert (id, member_id, payload) VALUES ($1, $2, $3)")
        payload = "x" * 200
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            await stmt.fetch(uuid.uuid4(), uuid.uuid4(), payload)
            latencies.append((time.perf_counter() - t) * 1000)
            done += 1

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker(c) for c in conns))
    finally:
        elapsed = time.perf_counter() - started
        for c in conns:
            await c.close()
    return {"in_flight": in_flight, "seconds": round(elapsed, 2), "inserts": done,
            "inserts_per_s": round(done / elapsed), "fsync": fsync,
            "synchronous_commit": sync_commit, "insert_ms": summary(latencies)}


async def pg_ceilings(pg, seconds: float = 5) -> dict[str, Any]:
    """Insert rates at 1 and 16 in flight in a fresh database on the platform's cluster."""
    name = "bench_raw_" + uuid.uuid4().hex[:8]
    await pg.ensure_database(name, owner=name, password="bench-raw")
    dsn = pg.dsn(name, name, "bench-raw")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "CREATE TABLE raw_insert (id uuid PRIMARY KEY, member_id uuid NOT NULL,"
            " payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())")
    finally:
        await conn.close()
    try:
        return {str(k): await pg_insert_rate(dsn, k, seconds) for k in (1, 16)}
    finally:
        await pg.drop_database(name)


async def pg_copy_rate(pg, rows: int = 1_000_000, batch: int = 20_000) -> dict[str, Any]:
    """COPY `rows` bill-line-shaped rows (uuid, uuid, text, bigint) in `batch`es from one
    connection into a fresh table of a fresh database, one transaction: rows per second."""
    name = "bench_copy_" + uuid.uuid4().hex[:8]
    await pg.ensure_database(name, owner=name, password="bench-raw")
    conn = await asyncpg.connect(pg.dsn(name, name, "bench-raw"))
    try:
        await conn.execute("CREATE TABLE raw_lines (bill_id uuid NOT NULL, member_id uuid NOT"
                           " NULL, part text NOT NULL, amount bigint NOT NULL)")
        await conn.execute("CREATE INDEX ON raw_lines (bill_id)")  # as bill_lines has
        bills = [uuid.uuid4() for _ in range(1000)]
        started = time.perf_counter()
        async with conn.transaction():
            for first in range(0, rows, batch):
                records = [(bills[i % 1000], uuid.uuid4(), "premium", 35_000)
                           for i in range(first, min(first + batch, rows))]
                await conn.copy_records_to_table(
                    "raw_lines", records=records, columns=("bill_id", "member_id", "part",
                                                           "amount"))
        elapsed = time.perf_counter() - started
    finally:
        await conn.close()
        await pg.drop_database(name)
    return {"rows": rows, "batch": batch, "seconds": round(elapsed, 2),
            "rows_per_s": round(rows / elapsed), "note": "includes building the records"}


async def kafka_produce_rate(bootstrap: str, topic: str, messages: int, payload_bytes: int,
                             partitions: int = 12, batch: int = 500) -> dict[str, Any]:
    """aiokafka as the outbox relay uses it (acks=all, idempotent; `batch` sends, then wait for
    their acks): messages per second of `payload_bytes` each, keyed, to a fresh topic."""
    await create_topics(bootstrap, {topic: partitions})
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all",
                                enable_idempotence=True)
    await producer.start()
    value = os.urandom(payload_bytes // 2).hex().encode()[:payload_bytes]
    try:
        await producer.send_and_wait(topic, b"warm-up")
        started = time.perf_counter()
        for first in range(0, messages, batch):
            acks = [await producer.send(topic, value, key=str(i).encode())
                    for i in range(first, min(first + batch, messages))]
            await asyncio.gather(*acks)
        elapsed = time.perf_counter() - started
    finally:
        await producer.stop()
    return {"messages": messages, "payload_bytes": payload_bytes, "partitions": partitions,
            "batch": batch, "seconds": round(elapsed, 2),
            "messages_per_s": round(messages / elapsed),
            "producer": "acks=all, idempotent, default linger, like the outbox relay"}


class FsyncProbe:
    """The disk's own commit latency while a benchmark runs: a 4 KiB write and fdatasync every
    10 ms in a thread, next to the database's data directory. A stall here is one the
    database's commits share, so a tail the platform did not cause shows in the same run."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, f"fsync-probe-{uuid.uuid4().hex}")
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fsync-probe", daemon=True)

    def _run(self) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while not self._stop.wait(0.01):
                t = time.perf_counter()
                os.pwrite(fd, b"\0" * 4096, 0)
                os.fdatasync(fd)
                self.samples.append((time.perf_counter() - t) * 1000)
        finally:
            os.close(fd)
            os.unlink(self.path)

    def __enter__(self) -> FsyncProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float | int | None]:
        return summary(self.samples)
