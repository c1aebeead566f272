"""How far the ops dashboard's figures trail the events (issue 19: within 2 s).

    python -m bench.ops_freshness [--rate 100] [--seconds 60] [--commit-interval 0.5] [--quick]

Starts a Kafka broker on free ports and the ops stream worker (`python -m services.ops
worker`), then publishes events open-loop at the faskes-change benchmark's steady rate (100/s,
bench/faskes_changes.py), a third each of payments, notifications sent and enrolments of one
member. A reader polls the tables' changelogs at read_committed every 50 ms, as the figures API
does (services/ops/store/changelogs.py ChangelogView). The n-th event of a kind is shown once that
kind's figure counts n: its lag is the first poll that shows it minus the moment it was sent.
Also the worker's CPU ms per event (/proc). Writes bench-results/ops_freshness-<ts>.json and
prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

from aiokafka import AIOKafkaProducer

from bench import raw, summary
from bench.referral_reads import cpu_seconds
from common.settings import KafkaSettings
from contracts import topics
from contracts.envelope import wrap
from contracts.events import EnrolledMember, FamilyEnrolled, NotificationSent, PaymentReceived
from devstack import paths
from devstack.kafka import KafkaNode, create_topics
from devstack.ports import free_port
from services.ops.domain.figures import sum_partials
from services.ops.store.changelogs import ChangelogView

TARGET_S = 2.0
POLL_S = 0.05
APP_ID = "ops-bench"
RESULTS = Path("bench-results")
KINDS = ("payment", "notification", "enrolment")


def event(kind: str, i: int):
    """The i-th event of a kind, as the services publish it: (topic, key, event)."""
    now = datetime.now(UTC)
    if kind == "payment":
        body = PaymentReceived(payment_id=uuid.uuid4(), payer_kind="family", payer_id=f"B{i}",
                               amount=35_000, channel="bri", bank_reference=f"R{i}",
                               paid_at=now, settled_periods=["2026-12"], credit=0)
        return topics.BILLING, f"B{i}", body
    if kind == "notification":
        body = NotificationSent(notification_id=uuid.uuid4(), source_event_id=uuid.uuid4(),
                                channel="sms", attempt=1)
        return topics.NOTIFY, f"N{i}", body
    member = EnrolledMember(member_id=uuid.uuid4(), card_number=f"{i:013d}", relationship="head",
                            segment="PBPU", care_class=3, fktp_code="0118B001",
                            registered_on=date(2026, 1, 1))
    body = FamilyEnrolled(family_id=f"F{i}", head_member_id=member.member_id,
                          head_card_number="0" * 13, head_name="X", members=[member],
                          coverage="active", as_of=date(2026, 12, 1))
    return topics.MEMBERSHIP, f"F{i}", body


def shown(values: dict[str, dict[str, int]]) -> dict[str, int]:
    """How many events of each kind the figures count."""
    payments = sum(n for f, n in sum_partials(values["payments"]).items() if f[0] == "payments")
    sent = sum(n for f, n in sum_partials(values["notifications"]).items() if f[0] == "sent")
    people = sum(n for f, n in sum_partials(values["segments"]).items()
                 if f[0] == "participants")
    return {"payment": payments, "notification": sent, "enrolment": people}


async def publish(kafka: KafkaSettings, rate: float, count: int,
                  sent: dict[str, list[float]]) -> float:
    """Open loop: event j leaves at its slot j / rate whatever happened before; returns the
    achieved rate."""
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all",
                                linger_ms=0)
    await producer.start()
    try:
        start = time.monotonic()
        for j in range(count):
            delay = start + j / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            kind = KINDS[j % len(KINDS)]
            topic, key, body = event(kind, len(sent[kind]))
            env = wrap(body, producer="bench", key=key, correlation_id="bench-ops-freshness")
            sent[kind].append(time.monotonic())
            await producer.send(kafka.topic(topic), key=key.encode(),
                                value=env.model_dump_json().encode())
        await producer.flush()
        return count / (time.monotonic() - start)
    finally:
        await producer.stop()


async def watch(view: ChangelogView, sent: dict[str, list[float]], baseline: dict[str, int],
                lags: dict[str, list[float]], done: asyncio.Event) -> None:
    """Poll the changelogs; the n-th event of a kind is shown once its figure counts n."""
    while True:
        await view.catch_up()
        at, counts = time.monotonic(), shown(view.values)
        for kind in KINDS:
            visible = min(counts[kind] - baseline[kind], len(sent[kind]))
            lags[kind] += [at - t for t in sent[kind][len(lags[kind]):visible]]
        if done.is_set() and all(len(lags[k]) == len(sent[k]) for k in KINDS):
            return
        await asyncio.sleep(POLL_S)


def run(rate: float, seconds: float, commit_interval: float, tmp: Path) -> dict:
    node = KafkaNode(tmp / "kafka", free_port(), free_port(), paths.cache_dir())
    node.start()
    worker = None
    try:
        node.wait_ready(90)
        kafka = KafkaSettings(bootstrap_servers=node.bootstrap, topic_prefix="")
        asyncio.run(create_topics(kafka.bootstrap_servers, dict(topics.PARTITIONS)))
        # The raw ceiling of the same run: a record's trip through this broker and back at the
        # same rate, with no worker, no table and no transaction.
        ceiling = asyncio.run(raw.kafka_round_trip(node.bootstrap, "bench.raw-ops", rate=rate,
                                                   seconds=min(seconds, 10)))
        env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": node.bootstrap, "KAFKA_TOPIC_PREFIX": "",
               "OPS_APP_ID": APP_ID, "OPS_COMMIT_INTERVAL_SECONDS": str(commit_interval)}
        with (tmp / "worker.log").open("ab") as log:
            worker = subprocess.Popen([sys.executable, "-m", "services.ops", "worker"],
                                      env=env, stdout=log, stderr=subprocess.STDOUT)
        r = asyncio.run(measure(kafka, worker, rate, seconds))
        return {**r, "commit_interval_s": commit_interval, "raw_kafka": ceiling}
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
        node.stop()


async def measure(kafka: KafkaSettings, worker: subprocess.Popen, rate: float,
                  seconds: float) -> dict:
    view = ChangelogView(kafka, APP_ID)
    await view.start()
    try:
        baseline = await warm_up(kafka, view, worker)
        sent: dict[str, list[float]] = {k: [] for k in KINDS}
        lags: dict[str, list[float]] = {k: [] for k in KINDS}
        done = asyncio.Event()
        watching = asyncio.create_task(watch(view, sent, baseline, lags, done))
        cpu = cpu_seconds([worker.pid])
        achieved = await publish(kafka, rate, int(rate * seconds), sent)
        done.set()
        await asyncio.wait_for(watching, timeout=120)
        events = sum(len(v) for v in sent.values())
        cpu_ms = (cpu_seconds([worker.pid]) - cpu) * 1000 / events
    finally:
        await view.stop()
    all_lags = sorted(v for k in KINDS for v in lags[k])
    return {"rate": rate, "achieved_rate": round(achieved, 1), "events": events,
            "worker_cpu_ms_per_event": round(cpu_ms, 3),
            "lag_s": _seconds(all_lags), "by_kind": {k: _seconds(lags[k]) for k in KINDS},
            "loadavg": os.getloadavg(), "at": datetime.now(UTC).isoformat()}


async def warm_up(kafka: KafkaSettings, view: ChangelogView, worker: subprocess.Popen,
                  timeout: float = 180) -> dict[str, int]:
    """One event of each kind, waited for: the worker has its partitions and the changelogs
    exist. Returns the counts the run starts from."""
    sent: dict[str, list[float]] = {k: [] for k in KINDS}
    await publish(kafka, 100, len(KINDS), sent)
    deadline = time.monotonic() + timeout
    while True:
        if worker.poll() is not None:
            raise SystemExit(f"the ops worker exited ({worker.returncode})")
        await view.catch_up()
        if view.ready and all(n >= 1 for n in shown(view.values).values()):
            return shown(view.values)
        if time.monotonic() > deadline:
            raise SystemExit("the ops worker counted nothing in time")
        await asyncio.sleep(0.2)


def _seconds(lags: list[float]) -> dict:
    """p50/p99/max and the rest, in seconds (bench.summary works in any unit)."""
    return summary(lags, digits=3)


def table(r: dict) -> str:
    lines = [f"ops freshness: {r['events']} events at {r['rate']}/s (achieved "
             f"{r['achieved_rate']}/s), commit every {r['commit_interval_s']} s; worker CPU "
             f"{r['worker_cpu_ms_per_event']} ms/event; load average "
             f"{[round(x, 2) for x in r['loadavg']]}",
             f"raw ceiling, same run: Kafka round trip at {r['rate']}/s p50 "
             f"{r['raw_kafka']['round_trip_ms'].get('p50')} ms, p99 "
             f"{r['raw_kafka']['round_trip_ms'].get('p99')} ms", "",
             "| events | count | p50 s | p99 s | max s | within 2 s |", "|---|---|---|---|---|---|"]
    for name, s in [("all", r["lag_s"]), *r["by_kind"].items()]:
        ok = "yes" if (s.get("p99") or 1e9) <= TARGET_S else "no"
        lines.append(f"| {name} | {s['count']} | {s.get('p50')} | {s.get('p99')} | "
                     f"{s.get('max')} | {ok} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--commit-interval", type=float, default=0.5,
                        help="OPS_COMMIT_INTERVAL_SECONDS for the worker")
    parser.add_argument("--quick", action="store_true", help="15 s instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ops-freshness-") as tmp:
        r = run(args.rate, 15 if args.quick else args.seconds, args.commit_interval, Path(tmp))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"ops_freshness-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(r, indent=2))
    print(table(r))
    print(f"\n{out}")


if __name__ == "__main__":
    main()
