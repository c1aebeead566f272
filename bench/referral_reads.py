"""Referral's reads at national size (issue 18), beside the raw indexed-read rate of the same run:

    python -m bench.referral_reads [--participants 20000] [--seconds 10] [--concurrency 32]
                                   [--latency-connections 8] [--api-workers 1|2]

On a platform of its own (bench/platform.py): seeds the national facility registry (`services.
referral seed --national`: 26,844 facilities) and `--participants` members (membership's seed;
referral's projection fills from the FamilyEnrolled events), then measures, each for
`--seconds`:

- raw: asyncpg on referral's database, one indexed read (`members` by card number) per query,
  16 connections: the ceiling of an indexed read on this machine in this run;
- nearest SQL: NEARBY_SQL alone on asyncpg (5 km around random facilities), p50/p99;
- nearest: `GET /v1/faskes?lat=&lon=&radius_km=5` over 2,000 random points;
- eligibility: signed `GET /v1/partners/facility/eligibility?card_number=` over 2,000 cards, as
  the demo hospital (each call writes its audit row);
- each of the two straight to referral and through the door (HAProxy, the partner rate limit
  raised out of the way), driven by wrk (bench/wrk.py) with `--concurrency` connections (the
  rate) and with `--latency-connections`;
- each of the two through the door paced (bench/wrk.py paced, 16 connections): eligibility at
  2,000/s, the target's rate, where its p99 is read; nearest at 1,000/s.

Each HTTP row also gives the referral processes' CPU ms per request (/proc).

`--api-workers 2` adds a second referral process serving only the API (`--role api`) that the
door balances with the first (bench/platform.py add_api_worker); "straight to referral" still
reaches the first process only, so compare the door rows.

wrk runs on the same 2 cores as the service and the database. Writes
bench-results/referral_reads-<timestamp>.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg

from bench import wrk
from bench.platform import BenchPlatform, add_api_worker
from bench.platform import start as start_platform
from common.bridging import signature
from common.service_auth import presented_by_edge
from devstack.platform import demo_partners
from services.referral.store import facilities as store

RESULTS = Path("bench-results")
ELIGIBILITY_RATE = 2000  # the target rate; its p99 is measured there
NEAREST_RATE = 1000  # the issue gives no rate for the search: about half its saturation


def _pct(sorted_ms: list[float], q: float) -> float:
    return round(sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * q))], 2)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far (/proc/<pid>/stat)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (clock ticks)
    return total / os.sysconf("SC_CLK_TCK")


def with_cpu(pids: list[int], run: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """A wrk run's report with those processes' CPU ms per request during it."""
    cpu = cpu_seconds(pids)
    got = run()
    got["referral_cpu_ms"] = round((cpu_seconds(pids) - cpu) * 1000 / max(got["requests"], 1), 3)
    return got


async def closed_loop(call: Callable[[], Awaitable[bool]], seconds: float,
                      concurrency: int, cpu_of: list[int] | None = None) -> dict[str, Any]:
    """`concurrency` workers calling back to back for `seconds`: rate, p50/p99 (ms), errors;
    with `cpu_of`, those processes' CPU ms per request."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ok = await call()
            latencies.append((time.perf_counter() - started) * 1000)
            errors += not ok

    started, cpu = time.perf_counter(), cpu_seconds(cpu_of or [])
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    out = {"requests": len(latencies), "per_second": round(len(latencies) / elapsed),
           "p50_ms": _pct(latencies, 0.50), "p99_ms": _pct(latencies, 0.99), "errors": errors,
           "concurrency": concurrency, "seconds": round(elapsed, 1)}
    if cpu_of:
        out["referral_cpu_ms"] = round((cpu_seconds(cpu_of) - cpu) * 1000 / len(latencies), 3)
    return out


def seed(plat: BenchPlatform, participants: int) -> float:
    py, started = sys.executable, time.perf_counter()
    for cmd in ([py, "-m", "services.referral", "seed", "--national"],
                [py, "-m", "services.membership", "seed", "--count", str(participants)]):
        res = subprocess.run(cmd, env=plat.run_env(), capture_output=True, text=True)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[1:])} failed:\n{res.stdout}{res.stderr}")
    return time.perf_counter() - started


async def wait_projection(dsn: str, participants: int, timeout: float = 600) -> int:
    """Until referral's projection holds every seeded participant (or stops growing)."""
    conn = await asyncpg.connect(dsn)
    try:
        deadline, last, since = time.monotonic() + timeout, -1, time.monotonic()
        while time.monotonic() < deadline:
            n = await conn.fetchval("SELECT count(*) FROM members")
            if n >= participants:
                return n
            if n != last:
                last, since = n, time.monotonic()
            elif time.monotonic() - since > 60:
                return n
            await asyncio.sleep(1)
        return last
    finally:
        await conn.close()


async def measure(plat: BenchPlatform, args: argparse.Namespace) -> dict[str, Any]:
    dsn = plat.dsn("referral")
    pool = await asyncpg.create_pool(dsn, min_size=16, max_size=16)
    rng = random.Random(18)
    try:
        cards = [r["card_number"] for r in await pool.fetch(
            "SELECT card_number FROM members ORDER BY card_number LIMIT 20000")]
        places = [(r["lat"], r["lon"]) for r in await pool.fetch(
            "SELECT lat, lon FROM facilities WHERE active")]

        def point() -> tuple[float, float]:
            lat, lon = rng.choice(places)
            return lat + rng.uniform(-0.03, 0.03), lon + rng.uniform(-0.03, 0.03)

        async def raw_read() -> bool:
            return await pool.fetchval("SELECT member_id FROM members WHERE card_number = $1",
                                       rng.choice(cards)) is not None

        async def nearest_sql() -> bool:
            lat, lon = point()
            await pool.fetch(store.NEARBY_SQL, *store.nearby_args(lat, lon, 5.0, None, 50))
            return True

        results = {
            "raw_indexed_read": await closed_loop(raw_read, args.seconds, 16),
            "nearest_sql": await closed_loop(nearest_sql, args.seconds, 16),
        }
    finally:
        await pool.close()
    cons = plat.env["BILLING_DEMO_FACILITY_CONS_ID"]
    secret = plat.env["BILLING_DEMO_FACILITY_SECRET"]
    doors = {"http": f"http://127.0.0.1:{plat.ports.referral}", "door": plat.gateway}
    referral = [pid for name in ("referral", "referral-api2")
                if (pid := plat.sup.pid(name)) is not None]
    nearest = [f"/v1/faskes?lat={lat:.5f}&lon={lon:.5f}&radius_km=5"
               for lat, lon in (point() for _ in range(2000))]
    eligibility = [f"/v1/partners/facility/eligibility?card_number={rng.choice(cards)}"
                   for _ in range(2000)]

    # Straight to referral's port, a call presents the credential the edge would.
    internal = presented_by_edge(plat.env, "referral")

    def public() -> dict[str, str]:
        return dict(internal)

    def signed() -> dict[str, str]:  # afresh for each run: valid for 5 minutes
        ts = str(int(time.time()))
        return {**internal, "X-cons-id": cons, "X-timestamp": ts,
                "X-signature": signature(cons, ts, secret)}

    for door, base in doors.items():
        for name, paths, headers in (("nearest", nearest, public), ("eligibility", eligibility,
                                                                   signed)):
            wrk.run(base, paths[:200], headers(), connections=4, seconds=2)  # warm-up
            for connections in (args.concurrency, args.latency_connections):
                results[f"{name}_{door}_c{connections}"] = with_cpu(referral, partial(
                    wrk.run, base, paths, headers(), connections=connections,
                    seconds=args.seconds))
    # The targets' latency is at a rate, not at saturation: paced through the door.
    for name, paths, headers, rate in (("eligibility", eligibility, signed, ELIGIBILITY_RATE),
                                       ("nearest", nearest, public, NEAREST_RATE)):
        results[f"{name}_door_paced"] = with_cpu(referral, partial(
            wrk.paced, plat.gateway, paths, headers, rate, seconds=args.seconds))
    results["facilities"] = len(places)
    results["members"] = len(cards)
    return results


def table(r: dict[str, Any], concurrency: int, latency_connections: int) -> str:
    sql = [("raw indexed read (asyncpg, members by card, 16 conns)", r["raw_indexed_read"]),
           ("nearest, SQL only (asyncpg, 5 km, 16 conns)", r["nearest_sql"])]
    out = [f"{r['facilities']:,} active facilities; {r['members']:,} members sampled; "
           f"{r['api_workers']} referral API process(es); load average before {r['loadavg']}", "",
           "| what | connections | per second | p50 ms | p99 ms | errors"
           " | referral CPU ms/request |",
           "|---|---|---|---|---|---|---|"]
    out += [f"| {name} | 16 | {m['per_second']:,} | {m['p50_ms']} | {m['p99_ms']} |"
            f" {m['errors']} | |" for name, m in sql]
    for door, where in (("http", "straight to referral"), ("door", "through the door (HAProxy)")):
        for name, what in (("nearest", "nearest, GET /v1/faskes"),
                           ("eligibility", "eligibility, signed GET")):
            for c in (concurrency, latency_connections):
                m = r[f"{name}_{door}_c{c}"]
                errors = m["non_2xx"] + (1 if m["socket_errors"] else 0)
                out.append(f"| {what} {where} | {c} | {round(m['rps']):,} | {m['p50_ms']} |"
                           f" {m['p99_ms']} | {errors} | {m['referral_cpu_ms']} |")
    for name, what in (("eligibility", "eligibility, signed GET"),
                       ("nearest", "nearest, GET /v1/faskes")):
        m = r[f"{name}_door_paced"]
        errors = m["non_2xx"] + (1 if m["socket_errors"] else 0)
        out.append(f"| {what} through the door, paced at {m['target_rps']:,}/s |"
                   f" {m['connections']} | {round(m['rps']):,} | {m['p50_ms']} | {m['p99_ms']} |"
                   f" {errors} | {m['referral_cpu_ms']} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.referral_reads", description=__doc__)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=32,
                        help="wrk connections for the rate rows")
    parser.add_argument("--latency-connections", type=int, default=8,
                        help="wrk connections for the latency rows (a load below saturation)")
    parser.add_argument("--api-workers", type=int, choices=(1, 2), default=1,
                        help="2: a second referral process (--role api) behind the door")
    args = parser.parse_args(argv)
    print("starting the platform...", flush=True)
    wrk.require()  # before the platform: a missing wrk fails in seconds, not after the seed
    plat = start_platform(demo_partners() | {"GATEWAY_PARTNER_PER_SECOND": "100000"})
    try:
        if args.api_workers == 2:
            add_api_worker(plat, "referral")
        seeded = seed(plat, args.participants)
        print(f"seeded in {seeded:.0f} s; waiting for referral's projection...", flush=True)
        projected = asyncio.run(wait_projection(plat.dsn("referral"), args.participants))
        print(f"projection holds {projected} members", flush=True)
        loadavg = Path("/proc/loadavg").read_text().split()[:3]
        results = asyncio.run(measure(plat, args))
        results |= {"api_workers": args.api_workers, "loadavg": loadavg,
                    "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"],
                                             capture_output=True, text=True).stdout.strip(),
                    "seed_seconds": round(seeded), "projected": projected,
                    "uptime": subprocess.run(["uptime"], capture_output=True,
                                             text=True).stdout.strip()}
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"referral_reads-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
        path.write_text(json.dumps(results, indent=2))
        print(table(results, args.concurrency, args.latency_connections))
        print(f"\n{path}")
        return 0
    finally:
        plat.close()


if __name__ == "__main__":
    sys.exit(main())
