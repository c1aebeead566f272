"""Notify's fan-out at a steady rate (issue 17): `python -m bench.notify_fanout`.

Starts the whole platform on its own (bench/platform.py: Kafka, PostgreSQL, the mail, SMS, push
and chat sinks, every service, the gateway), gives notify `--members` members split evenly over
the four channels (push: a registered device; chat: a phone and the WhatsApp opt-in; email;
SMS: a phone only), written straight into notify's tables, then publishes ComplaintFiled events
(member-facing, never held by quiet hours) on membership's topic at a steady `--rate` for
`--seconds`, each stamped with its publish time, after `--warmup` seconds of the same load that
are not counted (a fresh broker compiles its hot paths in the first seconds). Every event fans
out into the inbox and one channel. Latency = the provider sink's accept time (its
`received_at`, matched by the notification id each adapter passes as its reference) - the
event's publish time.

In the same run, the raw ceilings (bench/raw.py): before the load, the Kafka round trip at the
same rate; during it, the disk's own write + fdatasync latency beside the database.
Writes bench-results/notify_fanout-<timestamp>.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench import raw, summary
from bench.platform import BenchPlatform
from bench.platform import start as start_platform
from common.kafka import event_headers, make_producer
from common.settings import KafkaSettings
from contracts import events, topics, wrap

RESULTS = Path("bench-results")
CHANNELS = ("push", "chat", "email", "sms")
# Where the time goes, from notify's own timestamps: a notification's created_at is its fan-out
# transaction's start (the consumer's batch), its sent_at the start of the delivery
# transaction that claimed it; the last stage ends at the sink's accept.
STAGES = ("publish -> fan-out transaction", "fan-out transaction -> claim",
          "claim -> provider accept")


async def give_members(dsn: str, n: int) -> list[tuple[uuid.UUID, str]]:
    """n members of notify, each reachable on exactly one channel (the one routing picks)."""
    out, now = [], datetime.now(UTC)
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            for i in range(n):
                member, channel = uuid.uuid4(), CHANNELS[i % 4]
                phone = f"+62813{i:08d}" if channel in ("push", "chat", "sms") else None
                email = f"m{i}@bench.test" if channel == "email" else None
                await conn.execute(
                    "INSERT INTO contacts (member_id, email, phone, locale, updated_at)"
                    " VALUES ($1, $2, $3, 'id', $4)", member, email, phone, now)
                if channel == "push":
                    await conn.execute(
                        "INSERT INTO devices (token, member_id, platform, registered_at)"
                        " VALUES ($1, $2, 'android', $3)", f"bench-{member.hex}", member, now)
                if channel == "chat":
                    await conn.execute(
                        "INSERT INTO preferences (member_id, chat_opt_in, updated_at)"
                        " VALUES ($1, true, $2)", member, now)
                out.append((member, channel))
    finally:
        await conn.close()
    return out


async def publish(plat: BenchPlatform, members: list[tuple[uuid.UUID, str]], rate: float,
                  seconds: float) -> tuple[dict[uuid.UUID, float], float]:
    """Open loop: event i leaves at start + i/rate. Returns {event id: publish epoch seconds}
    and the achieved rate."""
    kafka = KafkaSettings(bootstrap_servers=plat.bootstrap,
                          topic_prefix=plat.env["KAFKA_TOPIC_PREFIX"])
    producer = make_producer(kafka, "bench-notify")
    await producer.start()
    sent: dict[uuid.UUID, float] = {}
    n = int(rate * seconds)
    acks = []
    try:
        t0 = time.perf_counter() + 0.05
        for i in range(n):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            member, _ = members[i % len(members)]
            at = datetime.now(UTC)
            env = wrap(events.ComplaintFiled(ticket_number=f"B-{i}", member_id=member,
                                             category="service", due_at=at),
                       producer="membership", key=str(member), correlation_id=f"bench-{i}",
                       occurred_at=at)
            sent[env.event_id] = at.timestamp()
            acks.append(await producer.send(kafka.topic(topics.MEMBERSHIP),
                                            env.model_dump_json().encode(),
                                            key=str(member).encode(),
                                            headers=event_headers(env.type)))
        elapsed = time.perf_counter() - t0
        await asyncio.gather(*acks)
    finally:
        await producer.stop()
    return sent, n / elapsed


async def wait_sent(dsn: str, expected: int, timeout: float) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.monotonic() + timeout
        while True:
            done = await conn.fetchval("SELECT count(*) FROM notifications WHERE status = 'sent'")
            if done >= expected or time.monotonic() > deadline:
                return done
            await asyncio.sleep(0.5)
    finally:
        await conn.close()


async def accepted_at(plat: BenchPlatform) -> dict[str, float]:
    """{notification id: the provider sink's accept time} across the four sinks."""
    out: dict[str, float] = {}
    p = plat.ports
    async with httpx.AsyncClient(timeout=60) as c:
        for port in (p.sms, p.push, p.chat):
            for m in (await c.get(f"http://127.0.0.1:{port}/api/messages")).json():
                out[m["reference"]] = datetime.fromisoformat(m["received_at"]).timestamp()
        for m in (await c.get(f"http://127.0.0.1:{p.mail_http}/api/messages")).json():
            # make_msgid: <time.pid.random.{notification id hex}@jkn.local>
            hex_id = m["message_id"].strip("<>").split("@")[0].rsplit(".", 1)[-1]
            out[str(uuid.UUID(hex_id))] = datetime.fromisoformat(m["received_at"]).timestamp()
    return out


async def run(plat: BenchPlatform, args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, Any] = {"started_at": datetime.now(UTC).isoformat(), "rate": args.rate,
                               "seconds": args.seconds, "warmup_seconds": args.warmup,
                               "logs": str(plat.logs)}
    results["raw_kafka"] = await raw.kafka_round_trip(
        plat.bootstrap, f"{plat.run_id}.bench.raw-notify", rate=args.rate,
        seconds=min(args.seconds, 10))
    dsn = plat.dsn("notify")
    members = await give_members(dsn, args.members)
    # The same load first, not counted: a fresh broker's JIT and cold caches are not the
    # steady state the target is about.
    warm, _ = await publish(plat, members, args.rate, args.warmup)
    await wait_sent(dsn, len(warm), timeout=120)
    with raw.FsyncProbe(str(plat.tmp)) as disk:
        sent, achieved = await publish(plat, members, args.rate, args.seconds)
    results["raw_fsync_ms"] = disk.summary()
    done = await wait_sent(dsn, len(warm) + len(sent), timeout=120) - len(warm)
    accepted = await accepted_at(plat)
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch("SELECT notification_id, source_event_id, channel, created_at,"
                                " sent_at FROM notifications")
        inbox = await conn.fetchval("SELECT count(*) FROM inbox_items") - len(warm)
    finally:
        await conn.close()
    by_channel: dict[str, list[float]] = {c: [] for c in CHANNELS}
    stages: dict[str, list[float]] = {s: [] for s in STAGES}
    for r in rows:
        at = accepted.get(str(r["notification_id"]))
        published = sent.get(r["source_event_id"])
        if published is not None:
            by_channel[r["channel"]].append(
                (at - published) * 1000 if at is not None else float("inf"))
            if at is not None and r["sent_at"] is not None:
                filed, claimed = r["created_at"].timestamp(), r["sent_at"].timestamp()
                for stage, ms in zip(STAGES, (filed - published, claimed - filed, at - claimed),
                                     strict=True):
                    stages[stage].append(ms * 1000)
    everything = [v for vs in by_channel.values() for v in vs]
    first = min(sent.values(), default=0.0)
    # Per second of the run, the slowest event published in it: where a stall was, and when.
    worst: dict[int, float] = {}
    for r in rows:
        at, published = accepted.get(str(r["notification_id"])), sent.get(r["source_event_id"])
        if published is not None and at is not None:
            second = int(published - first)
            worst[second] = max(worst.get(second, 0.0), round((at - published) * 1000, 1))
    results["fanout"] = {
        "events": len(sent), "achieved_rate": round(achieved, 1), "sent": done,
        "inbox_items": inbox, "publish_to_accept_ms": summary(everything),
        "by_channel": {c: summary(v) for c, v in by_channel.items()},
        "stages_ms": {s: summary(v) for s, v in stages.items()},
        "worst_ms_by_second": [worst.get(i, 0.0) for i in range(int(args.seconds) + 1)]}
    return results


def table(r: dict[str, Any]) -> str:
    f, k = r["fanout"], r["raw_kafka"]["round_trip_ms"]
    lines = ["| what | count | p50 ms | p99 ms | max ms |", "|---|---|---|---|---|",
             f"| raw Kafka round trip at {r['rate']}/s | {k['count']} | {k['p50']} | {k['p99']}"
             f" | {k['max']} |"]
    d = r["raw_fsync_ms"]
    lines.append(f"| raw 4 KiB write + fdatasync beside the database | {d['count']} | {d['p50']}"
                 f" | {d['p99']} | {d['max']} |")
    for name, s in [("fan-out, all channels", f["publish_to_accept_ms"]),
                    *((f"  {c}", s) for c, s in f["by_channel"].items())]:
        lines.append(f"| {name} | {s['count']} | {s.get('p50')} | {s.get('p99')} |"
                     f" {s.get('max')} |")
    for name, s in f["stages_ms"].items():
        lines.append(f"| stage: {name} | {s['count']} | {s.get('p50')} | {s.get('p99')} |"
                     f" {s.get('max')} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.notify_fanout", description=__doc__)
    p.add_argument("--rate", type=float, default=200)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--members", type=int, default=2000)
    p.add_argument("--warmup", type=float, default=10,
                   help="seconds of the same load before the measured run, not counted")
    args = p.parse_args(argv)
    # The platform starts outside the event loop: its provisioning runs its own.
    plat = start_platform({"NOTIFY_SMS_DAILY_BUDGET": "100000000"})
    try:
        results = asyncio.run(run(plat, args))
    finally:
        plat.close()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"notify_fanout-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\n{out}; achieved {results['fanout']['achieved_rate']}/s,"
          f" {results['fanout']['sent']} of {results['fanout']['events']} sent,"
          f" {results['fanout']['inbox_items']} inbox items")


if __name__ == "__main__":
    main()
