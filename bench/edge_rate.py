"""GET /v1/me's rate through the door (HAProxy), straight to membership, and on a bare FastAPI
app, in one run on a platform of its own (issues 15 and 19):

    python -m bench.edge_rate [--reps 3] [--api-processes 1|2] [--no-latency-rate]

Each rate is `wrk -t1 -c32 -d10s --latency` with a real member's access token (an account made
the way bench/members.py makes them). Beside every rate: the CPU milliseconds per request of
each process group (/proc utime + stime, a process and its children): membership (every
membership process that serves the API), the edge (HAProxy's master and worker), the bare app,
PostgreSQL (the postmaster and its backends) and wrk itself. On a shared machine the rate moves
with the neighbours; the CPU per request much less, so compare that.

`--latency-rate` (on by default): after the rate runs, through the door and straight, a paced
run at half the bare app's best rate of the run, and its latency percentiles (bench.wrk.paced:
wrk2 is not available, so wrk's Lua `delay()` holds each connection between requests, the rate
being connections / (delay + latency), and a 3 s calibration run sets the delay; a paced closed
loop, not an open one, so the p99 is a lower bound when the service stalls). When the door
cannot reach that rate (the run is then a closed loop again), one more paced run at half the
door's own best.

The token is one member's, repeated, so with membership's card cache on (the default, as `make
up`) every call after the first is a cache hit; `--no-card-cache` measures every call reading
the database.

`--api-processes 2` (the default, as `make up`: MEMBERSHIP_API_PROCESSES) runs a second
membership process serving only the API (`--role api`) that the door balances with the first
(`--role all`); "straight to membership" reaches the first process only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench import platform as bench_platform
from bench import wrk as wrk_report
from bench.members import create_accounts, mint_tokens
from common.service_auth import presented_by_edge
from devstack.ports import free_port, wait_http_ok

CONNECTIONS, SECONDS = 32, 10
CALIBRATION_SECONDS = 3
WRK = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency"]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            out.setdefault(ppid, []).append(int(entry.name))
    return out


def group_ticks(roots: list[int]) -> int:
    """utime + stime (clock ticks) of the processes and all their descendants, alive now."""
    children, total, todo = _children(), 0, list(roots)
    while todo:
        pid = todo.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
        todo += children.get(pid, [])
    return total


def _wrk_seconds() -> float:
    """CPU of the waited-for children so far: wrk is the only one during a run."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def measured(groups: dict[str, list[int]], run) -> dict:
    """`run()`'s wrk report plus each group's (and wrk's) CPU ms per request during it."""
    ticks = {name: group_ticks(pids) for name, pids in groups.items()}
    wrk_before = _wrk_seconds()
    got = run()
    n, hz = max(got["requests"], 1), os.sysconf("SC_CLK_TCK")
    got["cpu_ms"] = {name: round((group_ticks(pids) - ticks[name]) * 1000 / hz / n, 3)
                     for name, pids in groups.items()}
    got["cpu_ms"]["wrk"] = round((_wrk_seconds() - wrk_before) * 1000 / n, 3)
    return got


# Headers a target needs besides the member's token, by URL.
_INTERNAL: dict[str, dict[str, str]] = {}


def wrk(url: str, token: str, extra: list[str] | None = None) -> dict:
    """One wrk run: requests/s, latency percentiles (ms) and non-2xx count. A call straight
    to membership carries the credential the edge would present (common.service_auth)."""
    internal = [a for k, v in _INTERNAL.get(url, {}).items() for a in ("-H", f"{k}: {v}")]
    out = subprocess.run([*(extra or WRK), "-H", f"Authorization: Bearer {token}", *internal,
                          url], capture_output=True, text=True, check=True).stdout
    return wrk_report.parse(out)


def paced(url: str, token: str, rate: float, seconds: int = SECONDS) -> dict:
    """A run held near `rate` requests/s (bench.wrk.paced)."""
    parts = urlsplit(url)
    headers = {"Authorization": f"Bearer {token}", **_INTERNAL.get(url, {})}
    return wrk_report.paced(f"{parts.scheme}://{parts.netloc}", [parts.path], lambda: headers,
                            rate, seconds=seconds, calibration_seconds=CALIBRATION_SECONDS)


def bare_app(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port),
         "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level",
         "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _row(name: str, m: dict) -> str:
    cpu = m["cpu_ms"]
    return (f"| {name} | {m['rps']:.0f} | {m['p50_ms']} | {m['p99_ms']} | "
            f"{m['non_2xx']} | {cpu['membership']} | {cpu['edge']} | {cpu['bare']} | "
            f"{cpu['postgres']} | {cpu['wrk']} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.edge_rate", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--settle", type=float, default=15,
                        help="seconds to let the seed's events drain before measuring")
    parser.add_argument("--api-processes", type=int, choices=(1, 2), default=2,
                        help="membership API processes behind the door (MEMBERSHIP_API_PROCESSES)")
    parser.add_argument("--latency-rate", action=argparse.BooleanOptionalAction, default=True,
                        help="a paced run at half the bare app's rate, door and straight")
    parser.add_argument("--card-cache", action=argparse.BooleanOptionalAction, default=True,
                        help="membership's card cache (off: every call reads the database)")
    args = parser.parse_args(argv)
    wrk_report.require()
    print("starting the platform...", flush=True)
    env = {"MEMBERSHIP_API_PROCESSES": str(args.api_processes)}
    if not args.card_cache:
        env["MEMBERSHIP_CARD_CACHE_ENTRIES"] = "0"
    plat = bench_platform.start(env)
    bare = None
    try:
        plat.seed(1000)
        member = asyncio.run(create_accounts(plat.dsn("membership"), 1))[0]
        token = mint_tokens(plat, [member])[member.member_id]
        port = free_port()
        bare = bare_app(port)
        wait_http_ok(f"http://127.0.0.1:{port}/v1/me", 30)
        pids = plat.pids()
        groups = {"membership": [p for n in ("membership", "membership-api2")
                                 if (p := plat.sup.pid(n)) is not None],
                  "edge": [pids["edge"]], "bare": [bare.pid],
                  "postgres": [pids["postgres"]] if "postgres" in pids else []}
        targets = {"door (HAProxy)": f"{plat.gateway}/v1/me",
                   "straight to membership": f"http://127.0.0.1:{plat.ports.membership}/v1/me",
                   "bare FastAPI": f"http://127.0.0.1:{port}/v1/me"}
        _INTERNAL[targets["straight to membership"]] = presented_by_edge(plat.env, "membership")
        for url in targets.values():
            r = httpx.get(url, headers={"Authorization": f"Bearer {token}",
                                        **_INTERNAL.get(url, {})})
            assert r.status_code == 200, (url, r.status_code, r.text[:200])
        time.sleep(args.settle)
        results: dict[str, list[dict]] = {name: [] for name in targets}
        loads: list[str] = []
        for rep in range(args.reps):
            loads.append(uptime())
            print(loads[-1], flush=True)
            for name, url in targets.items():
                results[name].append(measured(groups, lambda url=url: wrk(url, token)))
                print(f"rep {rep + 1} {name:<24} {json.dumps(results[name][-1])}", flush=True)
                time.sleep(1)
        half = max(r["rps"] for r in results["bare FastAPI"]) / 2
        latency: dict[str, dict] = {}
        if args.latency_rate:
            for name in ("door (HAProxy)", "straight to membership"):
                latency[name] = measured(groups, lambda n=name: paced(targets[n], token, half))
                print(f"paced {name:<24} {json.dumps(latency[name])}", flush=True)
            # Out of reach, half the bare rate is a closed loop again: the latency below the
            # door's own saturation too, at half its best rate.
            door_half = max(r["rps"] for r in results["door (HAProxy)"]) / 2
            if door_half < half:
                name = "door (HAProxy), half its own rate"
                latency[name] = measured(groups, lambda: paced(targets["door (HAProxy)"], token,
                                                               door_half))
                print(f"paced {name} {json.dumps(latency[name])}", flush=True)
        loads.append(uptime())
        print(loads[-1])
        best_bare = 2 * half
        print(f"\nmembership API processes: {args.api_processes}; wrk -t1 -c{CONNECTIONS} "
              f"-d{SECONDS}s; CPU ms per request by process group")
        print("\n| target | rps | p50 ms | p99 ms | non-2xx | membership | edge | bare |"
              " postgres | wrk |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for name, runs in results.items():
            for i, m in enumerate(runs):
                print(_row(f"{name}, rep {i + 1}", m))
        for name, m in latency.items():
            print(_row(f"{name}, paced at {m['target_rps']}/s", m))
        door = max(r["rps"] for r in results["door (HAProxy)"])
        print(f"\nbest door {door:.0f}/s = {100 * door / best_bare:.0f}% of the best bare "
              f"{best_bare:.0f}/s (target: 50%)")
        if "door (HAProxy)" in latency:
            print(f"door p99 at {latency['door (HAProxy)']['rps']:.0f}/s: "
                  f"{latency['door (HAProxy)']['p99_ms']} ms (target: under 30 ms)")
        print(json.dumps({"wrk": " ".join(WRK), "api_processes": args.api_processes,
                          "uptime": loads, "results": results, "paced": latency}))
        return 0
    finally:
        if bare is not None:
            bare.terminate()
            bare.wait(10)
        plat.close(keep_logs=False)


if __name__ == "__main__":
    sys.exit(main())
