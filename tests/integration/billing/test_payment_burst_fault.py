"""A burst of signed bank payments against a running billing process that is SIGKILLed in the
middle; after a restart every delivery is retried, then everything is counted: each
bank_reference settled exactly once, no bill settled twice, bill statuses agree with the
payments, and the answers given before the crash are the ones given after it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter

import httpx

from devstack.kafka import create_topics
from devstack.ports import free_port, wait_http_ok
from tests.integration.billing.paying import (
    JWT_SECRET,
    PREMIUM,
    SEAL_KEY,
    make_family,
    make_partner,
    payment,
)
from tests.integration.kafka_helpers import read

FAMILIES = 150
COPIES = 2  # every delivery is sent twice in the burst (banks retry), and again after restart
PAY = "/v1/partners/bank/payments"


def _start(dsn: str, kafka, port: int, log_path) -> subprocess.Popen:
    env = {**os.environ, "BILLING_DATABASE_URL": dsn, "JKN_SEAL_KEY":
           SEAL_KEY.get_secret_value(), "JKN_JWT_SECRET": JWT_SECRET.get_secret_value(),
           "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
           "KAFKA_TOPIC_PREFIX": kafka.topic_prefix, "BILLING_PARTNER_REFRESH_SECONDS": "0.5",
           "PYTHONUNBUFFERED": "1"}
    with open(log_path, "ab") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen([sys.executable, "-m", "services.billing", "--port", str(port)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    wait_http_ok(f"http://127.0.0.1:{port}/healthz", 60)
    return proc


class Deliveries:
    """Answers by bank reference, deliveries that got none, and a signal once `kill_at`
    answers came."""

    def __init__(self, kill_at: int = 0) -> None:
        self.answers: dict[str, list[tuple[int, bytes]]] = {}
        self.lost: list[str] = []
        self.kill_at, self.answered, self.time_to_kill = kill_at, 0, asyncio.Event()

    async def send(self, client: httpx.AsyncClient, url: str, body: dict, headers: dict,
                   ) -> None:
        try:
            r = await client.post(url, json=body, headers=headers)
        except httpx.HTTPError:
            self.lost.append(body["bank_reference"])
            return
        self.answers.setdefault(body["bank_reference"], []).append((r.status_code, r.content))
        self.answered += 1
        if self.answered >= self.kill_at:
            self.time_to_kill.set()


async def test_a_payment_burst_survives_a_sigkill_settling_each_delivery_once(
        billing_pool, fresh_db, kafka, tmp_path):
    dsn = await fresh_db("billing_payments")  # the same database billing_pool is on
    await create_topics(kafka.bootstrap_servers,
                        {kafka.topic(t): 3 for t in ("jkn.billing.events",
                                                     "jkn.membership.events")})
    bank = await make_partner(billing_pool, "bank")
    families = [await make_family(billing_pool, months_back=[1, 0]) for _ in range(FAMILIES)]
    bodies = [payment(f, 2 * PREMIUM) for f in families]
    port = free_port()
    url = f"http://127.0.0.1:{port}{PAY}"
    log = tmp_path / "billing.log"
    proc = _start(dsn, kafka, port, log)
    # Kill once about a third of the deliveries were answered: mid-burst.
    burst, after = Deliveries(kill_at=FAMILIES * COPIES // 3), Deliveries()
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            sending = [asyncio.create_task(burst.send(client, url, b, bank.headers()))
                       for b in bodies for _ in range(COPIES)]
            await burst.time_to_kill.wait()
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(10)
            await asyncio.gather(*sending)
            assert burst.lost, "the kill came after the burst"
            print(f"answered before the kill: {burst.answered}, lost: {len(burst.lost)}")
            proc = _start(dsn, kafka, port, log)
            for b in bodies:  # every delivery again, as a bank retries until it gets an answer
                await after.send(client, url, b, bank.headers())
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)

    refs = [b["bank_reference"] for b in bodies]
    assert all(after.answers[ref][0][0] == 200 for ref in refs), "a retry was not settled"
    for ref, answered in burst.answers.items():  # answered before the crash: same bytes after
        for status, content in answered:
            if status == 200:
                assert content == after.answers[ref][0][1]
    rows = await billing_pool.fetch(
        "SELECT bank_reference, payment_id, settled_periods FROM payments"
        " WHERE cons_id = $1", bank.cons_id)
    assert sorted(r["bank_reference"] for r in rows) == sorted(refs)  # each exactly once
    ids = [f.family_id for f in families]
    bills = await billing_pool.fetch(
        "SELECT b.payer_id, b.status, b.settled_by, p.payer_id AS paid_for FROM bills b"
        " LEFT JOIN payments p ON p.payment_id = b.settled_by WHERE b.payer_id = ANY($1)", ids)
    assert len(bills) == 2 * FAMILIES
    assert all(b["status"] == "settled" and b["paid_for"] == b["payer_id"] for b in bills)
    assert all(len(r["settled_periods"]) == 2 for r in rows)
    kinds = Counter(r["type"] for r in await billing_pool.fetch(
        "SELECT envelope->>'type' AS type FROM outbox WHERE key = ANY($1)", ids))
    assert (kinds["PaymentReceived"], kinds["BillSettled"]) == (FAMILIES, 2 * FAMILIES)
    # On Kafka: every bill's BillSettled is one event (a relay crash may publish it twice,
    # with the same event id, which consumers drop).
    on_topic = await read(kafka.bootstrap_servers, kafka.topic("jkn.billing.events"),
                          100_000, timeout=15)
    settled = {}
    for e in on_topic:
        if e["type"] == "BillSettled" and e["payload"]["payer_id"] in set(ids):
            settled.setdefault(e["payload"]["bill_id"], set()).add(e["event_id"])
    assert len(settled) == 2 * FAMILIES
    assert all(len(events) == 1 for events in settled.values())
