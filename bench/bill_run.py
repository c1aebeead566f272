"""The monthly bill run at the study's scale (issue 16): every BillIssued published.

    python -m bench.bill_run [--participants 856723] [--period YYYY-MM]

On a platform of its own (bench/platform.py): measures the raw ceilings on the same broker and
database while idle (PostgreSQL COPY of bill-line rows; aiokafka producing BillIssued-sized
records the way the outbox relay does), seeds the synthetic register through membership's seed
(FamilyEnrolled per family -> Kafka -> billing's consumer, which projects payers, members and
opening bills), then runs `python -m services.billing bill-run --period P` and times it from
its start to the moment billing's outbox holds nothing unpublished (every BillIssued is on
Kafka). Reports wall time, bills/s, participants/s and the peak RSS of every process (the
bill-run command's from the kernel's own accounting, the platform's sampled each second).
Writes bench-results/bill_run-<timestamp>.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform as pyplatform
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import asyncpg
from tqdm import tqdm

from bench import raw
from bench.faskes_changes import Sampler, code_state, log
from bench.platform import BenchPlatform
from bench.platform import start as start_platform
from services.billing.domain.periods import Period, local_date
from services.billing.store.events import STAGER

RESULTS = Path("bench-results")
STUDY_PARTICIPANTS = 856_723  # Bandar Lampung's JKN participants (domain.md §0)
TARGET_SECONDS = 60.0
TARGET_RSS_MIB = 250


def bill_issued_bytes() -> int:
    """The size of one BillIssued envelope as the relay sends it (for the raw produce rate)."""
    from contracts import events
    sample = events.BillIssued(
        bill_id=uuid.uuid4(), payer_kind="family", payer_id="1871092005100003",
        period="2026-12", amount=300_000, due_date=date(2026, 12, 10),
        member_id=uuid.uuid4(), va="8888800000000011", amount_due=300_000)
    return len(STAGER.envelope(sample, "1871092005100003").model_dump_json())


async def _count(dsn: str, sql: str, *args: Any) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        return await conn.fetchval(sql, *args)
    finally:
        await conn.close()


async def wait_until(what: str, dsn: str, sql: str, target: int | None, *args: Any,
                     stall_seconds: float = 300) -> float:
    """Show a bar of `sql`'s count until it reaches `target` (or 0 when target is None);
    returns the seconds waited. Fails after `stall_seconds` without progress."""
    started = last_move = time.monotonic()
    conn = await asyncpg.connect(dsn)
    bar = tqdm(total=target, desc=what, unit="row", dynamic_ncols=True)
    seen = None
    try:
        while True:
            n = await conn.fetchval(sql, *args)
            if n != seen:
                seen, last_move = n, time.monotonic()
            bar.n = n
            bar.refresh()
            if (target is not None and n >= target) or (target is None and n == 0):
                return time.monotonic() - started
            if time.monotonic() - last_move > stall_seconds:
                raise RuntimeError(f"{what}: no progress for {stall_seconds:.0f} s at {n}")
            await asyncio.sleep(0.05 if target is None else 1.0)
    finally:
        bar.close()
        await conn.close()


def seed(plat: BenchPlatform, participants: int) -> float:
    """membership's seed: participants, civil registry, one FamilyEnrolled per family."""
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-m", "services.membership", "seed", "--count",
                          str(participants)], env=plat.run_env(), capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"membership seed failed:\n{res.stdout}{res.stderr}")
    log(res.stdout.strip())
    return time.perf_counter() - t


def run_bill_run(plat: BenchPlatform, period: str) -> tuple[float, float, int, int]:
    """The bill-run command, its progress bar on this terminal; returns (started, ended wall
    time, its exit status, its peak RSS in KiB from wait4)."""
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "services.billing", "bill-run", "--period",
                             period], env={**plat.run_env(), "BILLING_LOG_LEVEL": "WARNING"})
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return started, time.time(), proc.returncode, usage.ru_maxrss


async def measure(args: argparse.Namespace, results: dict[str, Any]) -> None:
    log("starting the platform (Kafka, PostgreSQL, sinks, 4 services, gateway) on free ports")
    # The scheduler would bill the month itself as soon as members arrive; the sweep is idle.
    plat = await asyncio.to_thread(start_platform, {
        "BILLING_SCHEDULER_INTERVAL_SECONDS": "86400",
        "BILLING_COVERAGE_SWEEP_INTERVAL_SECONDS": "86400"})
    results["logs"] = str(plat.logs)
    sampler = Sampler(plat.pids()).start()
    billing, membership = plat.dsn("billing"), plat.dsn("membership")
    try:
        size = bill_issued_bytes()
        log(f"raw ceilings: PostgreSQL COPY of 1,000,000 bill-line rows; aiokafka producing "
            f"{args.raw_messages:,} records of {size} bytes (a BillIssued envelope)")
        copy = await raw.pg_copy_rate(plat.pg)
        produce = await raw.kafka_produce_rate(plat.bootstrap, plat.topic("bench.raw-produce"),
                                               args.raw_messages, size)
        results["raw"] = {"postgres_copy": copy, "kafka_produce": produce}
        log(f"raw: COPY {copy['rows_per_s']:,} rows/s; produce {produce['messages_per_s']:,}"
            " msg/s")

        log(f"seeding {args.participants:,} participants (membership seed -> FamilyEnrolled"
            " -> Kafka -> billing)")
        t0 = time.time()
        seed_s = await asyncio.to_thread(seed, plat, args.participants)
        families = await _count(membership, "SELECT count(*) FROM outbox"
                                " WHERE envelope->>'type' = 'FamilyEnrolled'")
        await wait_until("billing projects families", billing,
                         "SELECT count(*) FROM payers WHERE payer_kind = 'family'", families)
        await wait_until("billing outbox (VirtualAccountOpened)", billing,
                         "SELECT count(*) FROM outbox WHERE published_at IS NULL", None)
        projected = time.time()
        results["seed"] = {
            "participants": args.participants, "families": families,
            "membership_seed_seconds": round(seed_s, 1),
            "seed_to_projected_seconds": round(projected - t0, 1),
            "participants_per_s": round(args.participants / (projected - t0)),
            "resources": sampler.window(t0, projected)}
        log(f"{families:,} families projected by billing {projected - t0:.0f} s after the seed"
            " began")

        log(f"bill run {args.period}: python -m services.billing bill-run --period"
            f" {args.period}")
        started, ended, code, maxrss_kib = await asyncio.to_thread(run_bill_run, plat,
                                                                   args.period)
        if code != 0:
            raise RuntimeError(f"bill-run exited {code}")
        await wait_until("BillIssued still to publish", billing,
                         "SELECT count(*) FROM outbox WHERE published_at IS NULL", None)
        published = time.time()
        conn = await asyncpg.connect(billing)
        try:
            run = dict(await conn.fetchrow("SELECT * FROM bill_runs WHERE period = $1",
                                           args.period))
            by_kind = {r["payer_kind"]: dict(r) for r in await conn.fetch(
                "SELECT payer_kind, count(*) AS bills, sum(amount) AS rupiah,"
                " (SELECT count(*) FROM bill_lines l JOIN bills x USING (bill_id)"
                "  WHERE x.period = $1 AND x.payer_kind = b.payer_kind) AS lines"
                " FROM bills b WHERE period = $1 GROUP BY payer_kind", args.period)}
            issued = await conn.fetchval(
                "SELECT count(*) FROM outbox WHERE envelope->>'type' = 'BillIssued'"
                " AND envelope->'payload'->>'period' = $1 AND published_at IS NOT NULL",
                args.period)
        finally:
            await conn.close()
        wall = published - started
        results["bill_run"] = {
            "period": args.period, "bills": run["bills"], "payers": run["payers"],
            "bill_issued_published": issued, "by_payer_kind": by_kind,
            "command_seconds": round(ended - started, 2),
            "wall_seconds_to_all_published": round(wall, 2),
            "publish_tail_seconds": round(published - ended, 2),
            "bills_per_s": round(run["bills"] / wall),
            "participants_per_s": round(args.participants / wall),
            "lines_per_s": round(sum(k["lines"] for k in by_kind.values()) / wall),
            "bill_run_command_peak_rss_mib": round(maxrss_kib / 1024),
            "resources": sampler.window(started, published)}
    finally:
        sampler.stop()
        plat.close()


def table(results: dict[str, Any]) -> str:
    r, raw_ = results["bill_run"], results["raw"]
    peaks = dict(r["resources"].get("peak_rss_mib", {}))
    peaks["bill-run command"] = r["bill_run_command_peak_rss_mib"]
    kinds = ", ".join(f"{k} {v['bills']:,}" for k, v in sorted(r["by_payer_kind"].items()))
    lines = [
        "| figure | value |", "|---|---|",
        f"| participants / families | {results['seed']['participants']:,} /"
        f" {results['seed']['families']:,} |",
        f"| bills (payers) | {r['bills']:,} ({kinds}) |",
        f"| **wall: start -> every BillIssued published** |"
        f" **{r['wall_seconds_to_all_published']} s** (target < {TARGET_SECONDS:.0f} s) |",
        f"| of which the command / the publish tail | {r['command_seconds']} s /"
        f" {r['publish_tail_seconds']} s |",
        f"| bills/s, participants/s, lines/s | {r['bills_per_s']:,}, {r['participants_per_s']:,},"
        f" {r['lines_per_s']:,} |",
        f"| raw PostgreSQL COPY (same run) | {raw_['postgres_copy']['rows_per_s']:,} rows/s |",
        f"| raw Kafka produce (same run) | {raw_['kafka_produce']['messages_per_s']:,} msg/s of"
        f" {raw_['kafka_produce']['payload_bytes']} B |",
        f"| seed -> projected by billing | {results['seed']['seed_to_projected_seconds']} s"
        f" ({results['seed']['participants_per_s']:,} participants/s) |",
    ]
    lines += [f"| peak RSS {name} | {mib} MiB |" for name, mib in sorted(peaks.items())]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bill_run")
    parser.add_argument("--participants", type=int, default=STUDY_PARTICIPANTS)
    parser.add_argument("--period", default=str(Period.of(local_date(datetime.now(UTC)))),
                        help="the month billed (default: this WIB month)")
    parser.add_argument("--raw-messages", type=int, default=200_000)
    args = parser.parse_args(argv)
    Period.parse(args.period, "--period")
    results: dict[str, Any] = {
        "benchmark": "bill_run", "started_at": datetime.now(UTC).isoformat(),
        "machine": {"cpus": os.cpu_count(), "python": pyplatform.python_version(),
                    "platform": pyplatform.platform()},
        "code": code_state(), "args": vars(args)}
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bill_run-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    try:
        asyncio.run(measure(args, results))
    finally:
        out.write_text(json.dumps(results, indent=1, default=str))
        log(f"results: {out}")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
