"""wrk, the C load generator, as the benchmarks drive it: a closed loop of `connections` over
a list of paths (a Lua script walks them in turn), with fixed headers. A Python client would
spend as much CPU as the service it measures on these 2 cores; wrk spends a fraction."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from devstack.apt import apt_install

_LUA = """local paths = {%s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""
_DELAY = "function delay() return %d end\n"  # milliseconds a connection waits


def require() -> None:
    """Install wrk once, as the stack installs HAProxy (benchmarks run on a fresh machine too)."""
    if shutil.which("wrk") is None:
        apt_install("wrk", "wrk (the benchmarks' load generator)", "any image that has wrk")


def parse(out: str) -> dict:
    """wrk's --latency report: requests/s, percentiles (ms), non-2xx and socket errors."""
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for pct, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        lat[f"p{pct}_ms"] = round(float(value) * {"us": 1e-3, "ms": 1, "s": 1e3}[unit], 2)
    requests = re.search(r"(\d+) requests in", out)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rate, **lat, "requests": int(requests.group(1)) if requests else 0,
            "non_2xx": int(bad.group(1)) if bad else 0,
            "socket_errors": errors.group(0) if errors else None}


def run(base: str, paths: Sequence[str], headers: dict[str, str] | None = None, *,
        connections: int = 32, seconds: float = 10, threads: int = 1,
        delay_ms: int | None = None) -> dict:
    """One closed-loop run of GETs over `paths` against `base` (scheme://host:port); with
    `delay_ms`, each connection waits that long between its requests."""
    require()
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "paths.lua"
        lua = _LUA % ", ".join(f'"{p}"' for p in paths)
        if delay_ms is not None:
            lua += _DELAY % delay_ms
        script.write_text(lua)
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency",
               "-s", str(script)]
        for name, value in (headers or {}).items():
            cmd += ["-H", f"{name}: {value}"]
        out = subprocess.run([*cmd, base], capture_output=True, text=True, check=True).stdout
    return parse(out) | {"connections": connections}


def paced(base: str, paths: Sequence[str], headers: Callable[[], dict[str, str]], rate: float,
          *, connections: int | None = None, seconds: float = 10,
          calibration_seconds: float = 3) -> dict:
    """A run held near `rate` requests/s (wrk2 is not to be had): each of `connections` waits
    between requests, so the rate is connections / (delay + latency); a short first run
    measures the latency and sets the delay. A paced closed loop, not an open one: a stall
    delays the requests behind it instead of queueing them, so its p99 is a lower bound.
    By default 16 connections, more at high rates so that each waits 5 ms or more between
    requests (wrk's delay is in whole milliseconds)."""
    connections = connections or max(16, math.ceil(rate * 0.005))
    first = round(connections * 1000 / rate)
    trial = run(base, paths, headers(), connections=connections, seconds=calibration_seconds,
                delay_ms=first)
    latency_ms = max(connections * 1000 / max(trial["rps"], 1) - first, 0)
    # Rounded down: whole milliseconds, and the rate asked is a floor, not a ceiling.
    delay = max(math.floor(connections * 1000 / rate - latency_ms), 0)
    return run(base, paths, headers(), connections=connections, seconds=seconds,
               delay_ms=delay) | {"target_rps": round(rate), "delay_ms": delay,
                                  "connections": connections}
