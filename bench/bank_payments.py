"""Bank payments settled end to end through the door (issue 16):
`python -m bench.bank_payments [--rates 100,200,400,800] [--seconds 5] [--api-workers 1|2]`.

On a platform of its own (bench/platform.py), families in arrears are written into billing's
ledger (bench/bank_fixtures.py) and a bank partner signs `POST /v1/partners/bank/payments`
through HAProxy at each rate in turn (open loop, fresh families per step), with 10% of the
deliveries sent twice. A payment is settled end to end when its family's two BillSettled and
its CoverageStatusChanged (active) are on Kafka. Reported per step: settled/s, p50/p99 from the
signed call, answers, duplicates that did not get the first answer's bytes, CPU ms per settled
payment of each platform process (other sessions' processes not counted); at the end double
settlements (on Kafka and in the database, must be 0) and peak RSS per process. JSON goes to
bench-results/. `--api-workers 2` adds a second billing process (`--role api`) behind the door.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import asyncpg
from pydantic import SecretStr

from bench import platform as bench_platform
from bench.bank_fixtures import PREMIUM, BenchFamily, Watcher, seed_families
from bench.faskes_changes import Sampler
from common import bridging

PAY = "/v1/partners/bank/payments"
CONS_ID = "9001"


def signed(secret: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {"X-cons-id": CONS_ID, "X-timestamp": ts,
            "X-signature": bridging.signature(CONS_ID, ts, secret)}


class Step:
    """One rate: its families' deliveries, when each left, and what came back."""

    def __init__(self, rate: int, families: list[BenchFamily], dup: float) -> None:
        self.rate, self.families = rate, families
        paid_at = datetime.now(UTC).isoformat()
        self.bodies = [{"va": f.va, "amount": 2 * PREMIUM, "paid_at": paid_at,
                        "bank_reference": "BENCH-" + secrets.token_hex(8), "channel": "bri"}
                       for f in families]
        self.dups = {i for i in range(len(families)) if random.random() < dup}
        self.sent: dict[int, float] = {}
        self.answers: dict[int, list[tuple[int, bytes]]] = {}
        self.errors = 0

    async def send(self, http: aiohttp.ClientSession, url: str, secret: str, i: int,
                   gate: asyncio.Semaphore) -> None:
        async with gate:
            self.sent.setdefault(i, time.monotonic())
            try:
                async with http.post(url, json=self.bodies[i], headers=signed(secret)) as r:
                    self.answers.setdefault(i, []).append((r.status, await r.read()))
            except (TimeoutError, aiohttp.ClientError):
                self.errors += 1

    async def run(self, http: aiohttp.ClientSession, url: str, secret: str,
                  gate: asyncio.Semaphore) -> None:
        start, tasks = time.monotonic(), []
        for i in range(len(self.bodies)):
            await asyncio.sleep(max(0.0, start + i / self.rate - time.monotonic()))
            tasks.append(asyncio.create_task(self.send(http, url, secret, i, gate)))
            if i in self.dups:  # the bank's retry, in flight with the first
                tasks.append(asyncio.create_task(self.send(http, url, secret, i, gate)))
        await asyncio.gather(*tasks)

    def report(self, watcher: Watcher) -> dict:
        done = {i: watcher.done_at(f.family_id) for i, f in enumerate(self.families)}
        lat = sorted((t - self.sent[i]) * 1000 for i, t in done.items()
                     if t is not None and i in self.sent)
        finished = [t for t in done.values() if t is not None]
        span = (max(finished) - min(self.sent.values())) if finished else 0
        statuses: dict[str, int] = {}
        for answers in self.answers.values():
            for status, _ in answers:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
        return {
            "target_rate": self.rate, "payments": len(self.bodies), "duplicates": len(self.dups),
            "settled_end_to_end": len(lat),
            "settled_per_s": round(len(lat) / span, 1) if span else 0.0,
            "sent_per_s": round((len(self.sent) - 1) / max(1e-9, max(self.sent.values())
                                                         - min(self.sent.values())), 1),
            "p50_ms": round(statistics.median(lat), 1) if lat else None,
            "p99_ms": round(lat[int(0.99 * (len(lat) - 1))], 1) if lat else None,
            "answers": statuses, "client_errors": self.errors,
            "duplicate_answer_differs": sum(len({c for _, c in a}) > 1
                                            for a in self.answers.values()),
        }


async def progress(steps: list[Step], watcher: Watcher, stop: asyncio.Event) -> None:
    while not stop.is_set():
        sent = sum(len(s.sent) for s in steps)
        answered = sum(len(a) for s in steps for a in s.answers.values())
        settled = sum(watcher.done_at(f.family_id) is not None for s in steps for f in s.families)
        print(f"  sent {sent:>6}  answered {answered:>6}  settled end to end {settled:>6}"
              f"  events seen {watcher.seen}", flush=True)
        await asyncio.sleep(1)


async def db_doubles(dsn: str, refs: list[str]) -> dict[str, int]:
    conn = await asyncpg.connect(dsn)
    try:
        return dict(await conn.fetchrow(
            "SELECT (SELECT count(*) FROM payments WHERE bank_reference = ANY($1)) AS payments,"
            " (SELECT count(*) FROM (SELECT payer_id FROM payments WHERE bank_reference ="
            "  ANY($1) GROUP BY payer_id HAVING count(*) > 1) d) AS families_paid_twice,"
            " (SELECT count(*) FROM bills b JOIN payments p ON p.payment_id = b.settled_by"
            "  WHERE p.bank_reference = ANY($1)) AS bills_settled", refs))
    finally:
        await conn.close()


def cpu_per_settled(sampler: Sampler, t0: float, t1: float, settled: int) -> dict[str, float]:
    """CPU milliseconds each platform process spent per payment settled in [t0, t1]. Other
    sessions' processes are not counted, but contention for the cores still raises it."""
    w = sampler.window(t0, t1)
    return {name: round(pct * w["seconds"] * 10 / settled, 2)
            for name, pct in w.get("cpu_pct_of_one_core", {}).items()
            if settled and pct >= 0.5 and not name.startswith(("other", "loadgen"))}


async def measure(plat: bench_platform.BenchPlatform, args: argparse.Namespace,
                  sampler: Sampler) -> dict:
    secret = secrets.token_urlsafe(24)
    counts = [r * args.seconds for r in args.rates]
    print(f"seeding {sum(counts)} families in arrears ...", flush=True)
    fams = await seed_families(plat.dsn("billing"), sum(counts),
                               SecretStr(plat.env["JKN_SEAL_KEY"]), CONS_ID, secret)
    await asyncio.sleep(6)  # billing's partner cache (5 s) must see the new bank
    watcher = Watcher(plat.bootstrap, plat.topic("jkn.billing.events"))
    ready = asyncio.Event()
    watching = asyncio.create_task(watcher.run(ready))
    await asyncio.wait([watching, asyncio.create_task(ready.wait())],
                       return_when=asyncio.FIRST_COMPLETED)
    if watching.done():
        watching.result()  # the watcher failed: say why
    steps, at = [], 0
    for rate, n in zip(args.rates, counts, strict=True):
        steps.append(Step(rate, fams[at:at + n], args.dup))
        at += n
    url, gate, stop = plat.gateway + PAY, asyncio.Semaphore(args.max_in_flight), asyncio.Event()
    shown = asyncio.create_task(progress(steps, watcher, stop))
    results = []
    connector = aiohttp.TCPConnector(limit=args.max_in_flight)
    async with aiohttp.ClientSession(connector=connector,
                                     timeout=aiohttp.ClientTimeout(total=30)) as http:
        for step in steps:
            print(f"step {step.rate}/s: {len(step.bodies)} payments for {args.seconds} s",
                  flush=True)
            t0 = time.time()
            await step.run(http, url, secret, gate)
            deadline = time.monotonic() + args.drain
            while time.monotonic() < deadline and any(  # noqa: ASYNC110 (bounded polling)
                    watcher.done_at(f.family_id) is None for f in step.families):
                await asyncio.sleep(0.2)
            results.append(step.report(watcher))
            results[-1]["cpu_ms_per_settled"] = cpu_per_settled(
                sampler, t0, time.time(), results[-1]["settled_end_to_end"])
            print("  " + json.dumps(results[-1]), flush=True)
    stop.set()
    await shown
    watching.cancel()
    refs = [b["bank_reference"] for s in steps for b in s.bodies]
    return {"steps": results, "double_settlements": {**watcher.doubled(),
                                                      **await db_doubles(plat.dsn("billing"),
                                                                         refs)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bank_payments")
    parser.add_argument("--rates", type=lambda s: [int(x) for x in s.split(",")],
                        default=[100, 200, 400, 800])
    parser.add_argument("--seconds", type=int, default=5, help="per rate step")
    parser.add_argument("--dup", type=float, default=0.1, help="share delivered twice")
    parser.add_argument("--api-workers", type=int, choices=(1, 2), default=1)
    parser.add_argument("--max-in-flight", type=int, default=512)
    parser.add_argument("--db-pool", type=int, default=20,
                        help="BILLING_DB_POOL_SIZE: each payment holds a connection")
    parser.add_argument("--drain", type=float, default=30, help="seconds to wait for Kafka")
    args = parser.parse_args(argv)
    print("starting the platform...", flush=True)
    plat = bench_platform.start({"GATEWAY_PARTNER_PER_SECOND": "100000",
                                 "BILLING_LOG_LEVEL": "WARNING",
                                 "BILLING_DB_POOL_SIZE": str(args.db_pool)})
    try:
        pids = plat.pids()
        if args.api_workers == 2:
            pids["billing-api2"] = bench_platform.add_api_worker(plat, "billing")
            pids["edge"] = plat.sup.pid("edge")
        sampler = Sampler(pids, interval=0.5).start()
        t0 = time.time()
        result = asyncio.run(measure(plat, args, sampler))
        sampler.stop()
        result["resources"] = sampler.window(t0, time.time())
        result["args"] = vars(args)
        result["commit"] = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True,
                                          text=True).stdout.strip()
        result["loadavg"] = Path("/proc/loadavg").read_text().split()[:3]
        out = Path("bench-results") / f"bank_payments-{int(time.time())}.json"
        out.parent.mkdir(exist_ok=True)
        out.write_text(json.dumps(result, indent=2))
        print(json.dumps({k: v for k, v in result.items() if k != "steps"}, indent=2))
        print(f"written {out}; platform logs in {plat.logs}")
        return 0
    finally:
        plat.close(keep_logs=True)


if __name__ == "__main__":
    sys.exit(main())
