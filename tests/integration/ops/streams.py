"""Published events for the ops worker's tests, an exact recount of them from the topics, and
the worker as a process (so a test can SIGKILL it)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from common.settings import KafkaSettings
from contracts import topics
from contracts.envelope import Envelope, wrap
from contracts.events import (
    AccountActivated,
    EnrolledMember,
    FamilyEnrolled,
    NotificationDelivered,
    NotificationFailed,
    NotificationSent,
    PaymentReceived,
)
from services.ops.handlers.figures import figures_of as figures
from services.ops.store.changelogs import ChangelogView, behind

SEGMENTS = ["PBPU", "BP", "PPU_BU", "PPU_PN", "PBI_APBN", "PBI_APBD"]
CHANNELS = ["bri", "bni", "bca", "mandiri"]
WIB = ZoneInfo("Asia/Jakarta")
T0 = datetime(2026, 12, 1, 16, 30, tzinfo=UTC)  # 23:30 WIB: the stream crosses the branch's day


def _env(event, key: str, i: int) -> Envelope:
    return wrap(event, producer="test", key=key, correlation_id="ops-test",
                occurred_at=T0 + timedelta(seconds=i))


def families(n: int, start: int = 0) -> list[Envelope]:
    """`n` families of two, segments in turn, and an activation of every other head."""
    out = []
    for i in range(start, start + n):
        family = f"KK{i:06d}"
        segment = SEGMENTS[i % len(SEGMENTS)]
        members = [EnrolledMember(member_id=uuid.uuid4(), card_number=f"{i:013d}",
                                  relationship=r, segment=segment, care_class=3,
                                  fktp_code="0118B001", registered_on=date(2026, 1, 1))
                   for r in ("head", "spouse")]
        out.append(_env(FamilyEnrolled(
            family_id=family, head_member_id=members[0].member_id, head_card_number="0" * 13,
            head_name="X", members=members, coverage="active", as_of=date(2026, 12, 1)),
            family, i))
        if i % 2 == 0:
            mid = members[0].member_id
            out.append(_env(AccountActivated(
                account_id=uuid.uuid4(), member_id=mid, card_number="0" * 13, channel="sms",
                destination="+62", full_name="X"), str(mid), i))
    return out


def payments(n: int, start: int = 0) -> list[Envelope]:
    out = []
    for i in range(start, start + n):
        out.append(_env(PaymentReceived(
            payment_id=uuid.uuid4(), payer_kind="family", payer_id=f"KK{i:06d}",
            amount=35_000 + i, channel=CHANNELS[i % len(CHANNELS)], bank_reference=f"R{i}",
            paid_at=T0 + timedelta(minutes=i), settled_periods=["2026-12"], credit=0),
            f"KK{i:06d}", i))
    return out


def notifications(n: int, start: int = 0) -> list[Envelope]:
    out = []
    for i in range(start, start + n):
        nid, src, ch = uuid.uuid4(), uuid.uuid4(), ["sms", "push", "email"][i % 3]
        key = f"M{i}"
        out.append(_env(NotificationSent(notification_id=nid, source_event_id=src,
                                         channel=ch, attempt=1), key, i))
        if i % 3 == 0:
            out.append(_env(NotificationFailed(notification_id=nid, source_event_id=src,
                                               channel=ch, attempt=1, error="x",
                                               final=i % 2 == 0), key, i))
        else:
            out.append(_env(NotificationDelivered(
                notification_id=nid, source_event_id=src, channel=ch, status="delivered",
                at=T0), key, i))
    return out


def mixed(n_families: int, n_payments: int, n_notifications: int,
          after: tuple[int, int, int] = (0, 0, 0)) -> list[Envelope]:
    """Families, payments and notifications, numbered on from `after` (one count per kind)."""
    return (families(n_families, after[0]) + payments(n_payments, after[1])
            + notifications(n_notifications, after[2]))


async def publish(kafka: KafkaSettings, envelopes: list[Envelope]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers, acks="all")
    await producer.start()
    try:
        for env in envelopes:
            topic = kafka.topic(_topic(env.type))
            await producer.send(topic, key=env.key.encode(), value=env.model_dump_json().encode())
        await producer.flush()
    finally:
        await producer.stop()


async def publish_slowly(kafka: KafkaSettings, envelopes: list[Envelope],
                         chunk: int = 100) -> None:
    """Published in chunks, as a stream arrives: the worker counts while events come."""
    for i in range(0, len(envelopes), chunk):
        await publish(kafka, envelopes[i:i + chunk])
        await asyncio.sleep(0.05)


async def settled_figures(kafka: KafkaSettings, view: ChangelogView, *workers: WorkerProcess,
                          timeout: float = 90, supervised: bool = False) -> tuple[dict, dict]:
    """The figures once they equal the recount (or at `timeout`), with the recount; every
    worker must keep running meanwhile, or, `supervised`, is started again when it exits by
    its own liveness rules (as `make up`'s devstack/respawn.py does)."""
    deadline = time.monotonic() + timeout
    while True:
        for worker in workers:
            if supervised:
                worker.restart_after_own_exit()
            worker.assert_running()
        expected = recount(await read_all(kafka))
        await view.catch_up()
        got = figures(view.values)
        if got == expected or time.monotonic() > deadline:
            return got, expected
        await asyncio.sleep(1)


def _topic(event_type: str) -> str:
    if event_type in ("FamilyEnrolled", "AccountActivated", "MemberAdded"):
        return topics.MEMBERSHIP
    return topics.BILLING if event_type == "PaymentReceived" else topics.NOTIFY


async def read_all(kafka: KafkaSettings) -> list[dict]:
    """Every record of the three source topics, decoded, to the end offsets of now."""
    consumer = AIOKafkaConsumer(bootstrap_servers=kafka.bootstrap_servers,
                                enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        from aiokafka import TopicPartition
        tps = [TopicPartition(kafka.topic(tp), p)
               for tp in (topics.MEMBERSHIP, topics.BILLING, topics.NOTIFY)
               for p in range(topics.PARTITIONS[tp])]
        consumer.assign(tps)
        await consumer.seek_to_beginning()
        ends = await consumer.end_offsets(tps)
        out = []
        while await behind(consumer, ends):
            for records in (await consumer.getmany(timeout_ms=500)).values():
                out += [json.loads(r.value) for r in records]
        return out
    finally:
        await consumer.stop()


def recount(records: list[dict]) -> dict:
    """The figures counted plainly from the topics' records (the fault tests' reference), in the
    shape of services.ops.handlers.figures.figures_of."""
    seen, segment, active = set(), {}, set()
    pay: dict = defaultdict(lambda: defaultdict(lambda: {"payments": 0, "amount": 0}))
    note: dict = defaultdict(lambda: defaultdict(lambda: {"sent": 0, "delivered": 0,
                                                          "failed": 0}))
    for r in records:
        if r["event_id"] in seen:
            continue
        seen.add(r["event_id"])
        p = r["payload"]
        day = datetime.fromisoformat(r["occurred_at"]).astimezone(WIB).date().isoformat()
        if r["type"] == "FamilyEnrolled":
            segment.update({m["member_id"]: m["segment"] for m in p["members"]})
        elif r["type"] == "AccountActivated":
            active.add(p["member_id"])
        elif r["type"] == "PaymentReceived":
            paid = datetime.fromisoformat(p["paid_at"]).astimezone(WIB).date().isoformat()
            pay[paid][p["channel"]]["payments"] += 1
            pay[paid][p["channel"]]["amount"] += p["amount"]
        elif r["type"] == "NotificationSent":
            note[day][p["channel"]]["sent"] += 1
        elif r["type"] == "NotificationDelivered" and p["status"] == "delivered":
            note[day][p["channel"]]["delivered"] += 1
        elif r["type"] == "NotificationFailed" and p["final"]:
            note[day][p["channel"]]["failed"] += 1
    rows = []
    for seg in sorted(set(segment.values())):
        members = [m for m, s in segment.items() if s == seg]
        n, a = len(members), sum(1 for m in members if m in active)
        rows.append({"segment": seg, "participants": n, "app_users": a,
                     "coverage": round(a / n, 4)})
    for channels in note.values():
        for c in channels.values():
            c["delivery_rate"] = round(c["delivered"] / c["sent"], 4) if c["sent"] else None
    return {"segments": rows, "payments": _plain(pay), "notifications": _plain(note),
            "sms_spend": None}


def _plain(d):
    return {k: _plain(v) for k, v in d.items()} if isinstance(d, dict) else d


OWN_EXITS = (3, 4, 5)  # services/ops/worker.py and faust_fixes.py exit codes


class WorkerProcess:
    """`python -m services.ops worker` on the test broker, as a child process of the test."""

    def __init__(self, kafka: KafkaSettings, app_id: str, log_path) -> None:
        self.env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka.bootstrap_servers,
                    "KAFKA_TOPIC_PREFIX": kafka.topic_prefix, "OPS_APP_ID": app_id,
                    "OPS_SESSION_TIMEOUT_SECONDS": "6"}
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None
        self.restarts: list[int] = []  # the exit codes it was started again after

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 (the child keeps it open)
        self.proc = subprocess.Popen([sys.executable, "-m", "services.ops", "worker"],
                                     env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def restart_after_own_exit(self) -> None:
        """Start it again if it exited with one of its own exit codes (3 stalled, 4 an agent
        failed, 5 a commit failed); any other exit is left for assert_running to report."""
        if self.proc is not None and self.proc.poll() in OWN_EXITS:
            self.restarts.append(self.proc.returncode)
            self.start()

    def assert_running(self) -> None:
        assert self.proc is not None and self.proc.poll() is None, \
            f"the worker exited: see {self.log_path}"

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.kill()
