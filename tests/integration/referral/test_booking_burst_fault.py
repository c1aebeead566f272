"""A burst of bookings for a session's last slots against a running referral process that is
SIGKILLed in the middle; after a restart every member retries with the same Idempotency-Key,
then everything is counted: no slot given twice, no confirmed booking lost (each answer given
before the crash is the answer after it), the session's counter agrees with its bookings, and
each booking is announced once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import uuid
from collections import Counter

import httpx

from devstack.kafka import create_topics
from devstack.ports import free_port, wait_http_ok
from tests.integration.referral.queueing import (
    BOOKINGS,
    JWT_SECRET,
    SEAL_KEY,
    booking,
    make_facility,
    make_member,
    token,
)

SLOTS = 40
MEMBERS = 160
COPIES = 2  # every request is sent twice in the burst (an app retries), and again after restart


def _start(dsn: str, kafka, port: int, log_path) -> subprocess.Popen:
    env = {**os.environ, "REFERRAL_DATABASE_URL": dsn,
           "JKN_SEAL_KEY": SEAL_KEY.get_secret_value(),
           "JKN_JWT_SECRET": JWT_SECRET.get_secret_value(), "JKN_NIK_DIGEST_KEY": "test-nik-key",
           "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
           "KAFKA_TOPIC_PREFIX": kafka.topic_prefix, "REFERRAL_ROLE": "api",
           "PYTHONUNBUFFERED": "1"}
    with open(log_path, "ab") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen([sys.executable, "-m", "services.referral", "--port", str(port)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_http_ok(f"http://127.0.0.1:{port}/healthz", 60)
    return proc


class Requests:
    """Answers by member, requests that got none, and a signal once `kill_at` answers came."""

    def __init__(self, kill_at: int = 0) -> None:
        self.answers: dict[uuid.UUID, list[tuple[int, bytes]]] = {}
        self.lost = 0
        self.kill_at, self.answered, self.time_to_kill = kill_at, 0, asyncio.Event()

    async def send(self, client: httpx.AsyncClient, url: str, member: uuid.UUID, body: dict,
                   headers: dict) -> None:
        try:
            r = await client.post(url, json=body, headers=headers)
        except httpx.HTTPError:
            self.lost += 1
            return
        self.answers.setdefault(member, []).append((r.status_code, r.content))
        self.answered += 1
        if self.answered >= self.kill_at:
            self.time_to_kill.set()


async def test_a_booking_burst_survives_a_sigkill_giving_no_slot_twice(queue_pool, fresh_db,
                                                                       kafka, tmp_path):
    dsn = await fresh_db("referral_queue")  # the same database queue_pool is on
    await create_topics(kafka.bootstrap_servers, {kafka.topic("jkn.referral.events"): 3})
    clinic = await make_facility(queue_pool, quota_jkn=SLOTS, quota_non_jkn=1)
    members = [(await make_member(queue_pool, clinic.code))[0] for _ in range(MEMBERS)]
    headers = {m: {**token(m), "Idempotency-Key": uuid.uuid4().hex} for m in members}
    body = booking(clinic)
    port = free_port()
    url = f"http://127.0.0.1:{port}{BOOKINGS}"
    log = tmp_path / "referral.log"
    proc = _start(dsn, kafka, port, log)
    burst, after = Requests(kill_at=MEMBERS * COPIES // 4), Requests()
    try:
        async with httpx.AsyncClient(timeout=20) as client:
            sending = [asyncio.create_task(burst.send(client, url, m, body, headers[m]))
                       for m in members for _ in range(COPIES)]
            await burst.time_to_kill.wait()
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            await asyncio.gather(*sending)
            assert burst.lost, "the kill came after the burst"
            print(f"answered before the kill: {burst.answered}, lost: {burst.lost}")
            proc = _start(dsn, kafka, port, log)
            for m in members:  # every member again with its key, as the app retries
                await after.send(client, url, m, body, headers[m])
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)

    final = {m: after.answers[m][0] for m in members}
    assert Counter(status for status, _ in final.values()) == {201: SLOTS, 422: MEMBERS - SLOTS}
    for m, answered in burst.answers.items():  # confirmed before the crash: the same after it
        for status, content in answered:
            if status == 201:
                assert final[m] == (201, content)
    booked = {json.loads(c)["booking_code"]: json.loads(c)["queue_number"]
              for status, c in final.values() if status == 201}
    assert sorted(booked.values()) == list(range(1, SLOTS + 1))  # no number twice
    rows = await queue_pool.fetch(
        "SELECT b.booking_code, b.queue_number, s.booked_jkn FROM queue_bookings b"
        " JOIN queue_sessions s USING (session_id) WHERE s.facility_code = $1", clinic.code)
    assert {r["booking_code"]: r["queue_number"] for r in rows} == booked
    assert {r["booked_jkn"] for r in rows} == {SLOTS}
    staged = Counter(r["code"] for r in await queue_pool.fetch(
        "SELECT envelope->'payload'->>'booking_code' AS code FROM outbox"
        " WHERE envelope->>'type' = 'QueueBooked' AND envelope->'payload'->>'booking_code'"
        " = ANY($1)", list(booked)))
    assert staged == {code: 1 for code in booked}
