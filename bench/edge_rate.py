"""GET /v1/me's rate through the door (HAProxy), straight to membership, and on a bare FastAPI
app, in one run on a platform of its own (issue 15): `python -m bench.edge_rate [--reps 3]`.

Each measurement is `wrk -t1 -c32 -d10s --latency` with a real member's access token
(an account made the way bench/members.py makes them). The machine may be shared: the load
average (`uptime`) is printed before and after, and every figure is printed raw.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import time

import httpx

from bench import platform as bench_platform
from bench import wrk as wrk_report
from bench.members import create_accounts, mint_tokens
from devstack.ports import free_port, wait_http_ok

WRK = ["wrk", "-t1", "-c32", "-d10s", "--latency"]


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def wrk(url: str, token: str) -> dict:
    """One wrk run: requests/s, latency percentiles (ms) and non-2xx count."""
    out = subprocess.run([*WRK, "-H", f"Authorization: Bearer {token}", url],
                         capture_output=True, text=True, check=True).stdout
    return wrk_report.parse(out)


def bare_app(port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.bare_app:app", "--port", str(port),
         "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--log-level",
         "warning"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.edge_rate")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--settle", type=float, default=15,
                        help="seconds to let the seed's events drain before measuring")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk", file=sys.stderr)
        return 1
    print("starting the platform...", flush=True)
    plat = bench_platform.start()
    bare = None
    try:
        plat.seed(1000)
        member = asyncio.run(create_accounts(plat.dsn("membership"), 1))[0]
        token = mint_tokens(plat, [member])[member.member_id]
        port = free_port()
        bare = bare_app(port)
        wait_http_ok(f"http://127.0.0.1:{port}/v1/me", 30)
        targets = {"door (HAProxy)": f"{plat.gateway}/v1/me",
                   "straight to membership": f"http://127.0.0.1:{plat.ports.membership}/v1/me",
                   "bare FastAPI": f"http://127.0.0.1:{port}/v1/me"}
        for url in targets.values():
            r = httpx.get(url, headers={"Authorization": f"Bearer {token}"})
            assert r.status_code == 200, (url, r.status_code, r.text[:200])
        time.sleep(args.settle)
        results: dict[str, list[dict]] = {name: [] for name in targets}
        loads: list[str] = []
        for rep in range(args.reps):
            loads.append(uptime())
            print(loads[-1], flush=True)
            for name, url in targets.items():
                results[name].append(wrk(url, token))
                print(f"rep {rep + 1} {name:<24} {json.dumps(results[name][-1])}", flush=True)
                time.sleep(1)
        loads.append(uptime())
        print(loads[-1])
        print("\n| target | " + " | ".join(f"rep {i + 1} rps" for i in range(args.reps)) + " |")
        print("|---|" + "---|" * args.reps)
        for name, runs in results.items():
            print(f"| {name} | " + " | ".join(f"{r['rps']:.0f}" for r in runs) + " |")
        print(json.dumps({"wrk": " ".join(WRK), "uptime": loads, "results": results}))
        return 0
    finally:
        if bare is not None:
            bare.terminate()
            bare.wait(10)
        plat.close(keep_logs=False)


if __name__ == "__main__":
    sys.exit(main())
